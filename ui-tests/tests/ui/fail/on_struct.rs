use hooks::listens_for;

#[listens_for(Shop, "open")]
struct OnOpen;

fn main() {
    let _ = OnOpen;
}
