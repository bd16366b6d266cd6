use hooks::listens_for;
use ui_tests::Profile;

// A `retval` listener of a `retval, fallible` event returns `Result<new value, error>`.
#[listens_for(Profile, "rename", retval)]
fn trim(_profile: &Profile, name: &str) -> String {
    name.trim().to_owned()
}

fn main() {}
