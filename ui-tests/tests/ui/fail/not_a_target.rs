use hooks::listens_for;

#[listens_for(String, "push")]
fn on_push(_s: &str) {}

fn main() {}
