// Rust debuggee for the rust_panic exception filter (issue 15): with no argument it panics with a
// formatted message in check(); with "literal", with a literal one in main.
fn check(n: i32) -> i32 {
    if n > 2 {
        panic!("too big: {}", n); // PANIC formatted
    }
    n
}

fn main() {
    let literal = std::env::args().nth(1).map_or(false, |a| a == "literal");
    let mut total = 0;
    for i in 0..5 {
        if literal && i == 1 {
            panic!("literal boom"); // PANIC literal
        }
        total += check(i);
    }
    println!("{}", total);
}
