use hooks::listens_for;
use ui_tests::{Declined, Profile};

// Without `retval` a listener may only veto: it returns `Result<(), error>`.
#[listens_for(Profile, "rename")]
fn trim(_profile: &Profile, name: &str) -> Result<String, Declined> {
    Ok(name.trim().to_owned())
}

fn main() {}
