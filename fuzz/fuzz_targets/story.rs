//! Arbitrary bytes, read as a bundle of story files, into the story loader
//! (see `kort_app::story::fuzz`).

#![no_main]

use std::path::Path;

libfuzzer_sys::fuzz_target!(
    init: {
        // Start from every real story, so mutations begin inside valid
        // files instead of having to discover TOML and GeoJSON from nothing.
        let fuzz = Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = fuzz.join("corpus/story");
        std::fs::create_dir_all(&corpus).expect("corpus folder");
        let stories = std::fs::read_dir(fuzz.join("../data/stories")).expect("data/stories");
        for folder in stories.filter_map(Result::ok) {
            let bundle = kort_app::story::fuzz::bundle_folder(&folder.path()).expect("story files");
            let name = format!("seed-{}", folder.file_name().to_string_lossy());
            std::fs::write(corpus.join(name), bundle).expect("corpus file");
        }
    },
    |data: &[u8]| {
        kort_app::story::fuzz::load(data);
    }
);
