// words: counts the words of its arguments (or of a built-in text) in a HashMap and prints the
// most frequent ones. The Rust program of bench/run --startup (one line breakpoint in main).
use std::collections::HashMap;

fn count(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = if args.is_empty() { "the quick brown fox jumps over the lazy dog the end".to_string() } else { args.join(" ") };
    let counts = count(&text);
    let mut top: Vec<(&String, &usize)> = counts.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (word, n) in top.iter().take(3) {
        println!("{word}: {n}");
    }
}
