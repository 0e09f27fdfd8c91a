use checked_query::checked_query;

fn main() {
    // `orders` belongs to the orders service.
    let _ = checked_query!("SELECT id, total FROM orders WHERE user_id = $1", "u1");
}
