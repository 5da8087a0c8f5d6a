// Rust debuggee for the Rust values, names and stepping tests (issue 15): built with
// `rustc -g -C opt-level=0`. Breakpoint lines are found by their marker comments.
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::ffi::OsString;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

#[derive(Debug)]
pub enum Shape {
    Rect(Point, Point),
    Circle { center: Point, radius: u32 },
    Empty,
}

impl Shape {
    pub fn area(&self) -> i64 {
        let a = area(self);
        a
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wrap(pub i32, pub u8);

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Color {
    Red,
    Green,
    Blue,
}

pub fn area(shape: &Shape) -> i64 {
    match shape {
        Shape::Rect(a, b) => {
            let w = (b.x - a.x) as i64;
            let h = (b.y - a.y) as i64;
            w * h // BREAK area
        }
        Shape::Circle { radius, .. } => 3 * (*radius as i64) * (*radius as i64),
        Shape::Empty => 0,
    }
}

fn parse(text: &str) -> Result<i32, String> {
    text.parse::<i32>().map_err(|e| format!("{}: {}", text, e))
}

fn parse_sum(a: &str, b: &str) -> Result<i32, String> {
    let x = parse(a)?; // BREAK question
    let y = parse(b)?;
    Ok(x + y)
}

fn total(shapes: &[Shape]) -> i64 {
    let mut sum = 0;
    for s in shapes {
        sum += area(s); // BREAK loop
    }
    sum
}

fn through_std(text: &str, nums: &[i32]) -> i32 {
    let n = text.parse::<i32>(); // BREAK std call
    let n = n.unwrap_or(0);
    let sum: i32 = nums.iter().map(|v| {
        v + n // BREAK mapped
    }).sum(); // BREAK adaptor
    sum
}

fn inspect(names: &Vec<String>, nums: &Vec<i32>, shapes: &[Shape]) -> usize {
    let first = &names[0];
    let count = names.len() + nums.len() + shapes.len();
    println!("{} {}", first, count); // BREAK inspect
    count
}

fn main() {
    let origin = Point { x: 0, y: 0 };
    let corner = Point { x: 3, y: 4 };
    let greeting: String = String::from("hello, rust");
    let word: &str = "borrowed";
    let empty = String::new();
    let names: Vec<String> = vec!["alpha".to_string(), "beta".to_string(), "gamma".to_string()];
    let nums: Vec<i32> = vec![10, 20, 30, 40, 50];
    let many: Vec<i32> = (0..150).collect();
    let arr: [i32; 4] = [1, 2, 3, 4];
    let pair: (i32, &str, f64) = (7, "seven", 7.5);
    let shapes = vec![
        Shape::Rect(origin, corner),
        Shape::Circle { center: corner, radius: 2 },
        Shape::Empty,
    ];
    let slice: &[Shape] = &shapes[..];
    let some_byte: Option<u8> = Some(42);
    let no_byte: Option<u8> = None;
    let some_name: Option<String> = Some("named".to_string());
    let no_name: Option<String> = None;
    let ok: Result<i32, String> = parse("12");
    let err: Result<i32, String> = parse("x1");
    let color = Color::Green;
    let boxed: Box<Point> = Box::new(corner);
    let shared: Rc<String> = Rc::new("shared".to_string());
    let shared2 = Rc::clone(&shared);
    let atomic: Arc<Vec<i32>> = Arc::new(vec![1, 2]);
    let cell = Cell::new(5i32);
    let refcell = RefCell::new(vec![7, 8, 9]);
    let mut deque: VecDeque<i32> = VecDeque::new();
    deque.push_back(2);
    deque.push_front(1);
    let mut map: HashMap<String, i32> = HashMap::new();
    map.insert("one".to_string(), 1);
    map.insert("two".to_string(), 2);
    let mut set: HashSet<i32> = HashSet::new();
    set.insert(5);
    let os: OsString = OsString::from("os text");
    let path: PathBuf = PathBuf::from("/tmp/some/path");
    let mut tree: BTreeMap<i32, String> = BTreeMap::new();
    tree.insert(3, "three".to_string());
    tree.insert(1, "one".to_string());
    let big: BTreeMap<u32, u32> = (0..100).map(|i| (i, i * i)).collect(); // height 2: internal nodes
    let bset: BTreeSet<i32> = vec![9, 4, 6].into_iter().collect();
    let no_tree: BTreeMap<i32, i32> = BTreeMap::new();
    let mut target = 5i32;
    let raw: *mut i32 = &mut target;
    let craw: *const Point = &origin;
    let nullp: *const u8 = std::ptr::null();
    let wrap = Wrap(7, 8);
    let letters: (char, char, char, char) = ('<', '\u{e9}', '\n', '\u{3b1}');
    let scale = 2;
    let double = |v: i32| v * scale;
    let doubled = double(nums[1]);
    let first_area = shapes[0].area();
    let sum = total(slice); // BREAK main
    let count = inspect(&names, &nums, slice);
    let triple = |v: i32| {
        let t = v * 3; // BREAK in closure
        t + 0
    };
    let tripled = triple(doubled); // BREAK closure
    let sums = (parse_sum("2", "3"), parse_sum("4", "y"));
    let via_std = through_std("7", &nums);
    println!("{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {}", os, path, tree, big.len(), bset, no_tree, raw, craw, nullp, wrap, tripled);
    println!("{:?} {} {} {:?}", sums, first_area, via_std, letters);
    println!(
        "{} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {} {} {:?} {} {:?} {:?} {:?} {:?} {} {} {}",
        greeting, word, empty.len(), many.len(), arr.len(), pair, some_byte, no_byte, some_name,
        no_name, ok, err, color, boxed.x, shared2, atomic.len(), cell.get(), refcell.borrow().len(),
        deque, map.len(), set.len(), shapes.len(), doubled, sum, count
    );
}
