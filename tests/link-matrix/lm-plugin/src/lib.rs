//! Link matrix plugin: static listeners in private nested modules; nothing here is `pub` and
//! nothing references them. Only the linker (through `linkme`) can find them.

mod outer {
    mod inner {
        use lm_family::Host;

        #[hooks::listens_for(Host, "ping")]
        fn deep_ping(_n: u32) {
            lm_family::ran("deep_ping");
        }

        mod innermost {
            #[hooks::listens_for(lm_family::Host, "ping")]
            fn deeper_ping(_n: u32) {
                lm_family::ran("deeper_ping");
            }
        }
    }
}

mod other {
    #[hooks::listens_for(lm_family::Host, "ping")]
    fn other_ping(_n: u32) {
        lm_family::ran("other_ping");
    }
}

mod generated {
    #[hooks::listens_for(lm_family::Generated, "ping")]
    fn generated_ping(_n: u32) {
        lm_family::ran("generated_ping");
    }

    mod imported {
        use lm_family::Generated;

        #[hooks::listens_for(Generated, "ping")]
        fn imported_generated_ping(_n: u32) {
            lm_family::ran("imported_generated_ping");
        }
    }
}
