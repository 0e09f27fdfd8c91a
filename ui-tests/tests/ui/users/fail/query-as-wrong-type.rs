use checked_query::checked_query_as;

struct Session {
    id: String,
    // Nullable in the schema: must be Option<String>.
    device_label: String,
}

fn main() {
    let _ = checked_query_as!(Session, "SELECT id, device_label FROM sessions");
}
