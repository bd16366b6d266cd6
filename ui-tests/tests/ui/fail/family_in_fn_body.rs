fn main() {
    #[hooks::events]
    pub trait LocalEvents {
        #[event(retval)]
        fn greet(name: &str, #[retval] greeting: &str) -> String;
    }
}
