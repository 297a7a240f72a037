//! Arbitrary bytes into the story loader: the body of the `cargo fuzz`
//! target (`fuzz/`) and of its smoke test here.
//!
//! A story is a folder of files, and a fuzzer gives one byte string, so the
//! bytes are read as a *bundle*: files one after another, each opened by a
//! line `==> <name> <==` (the format `head` prints for several files). A
//! bundle of the seed story is the fuzzer's starting corpus; mutations then
//! reach every file the loader reads: the manifest, the articles, the
//! sources and the GeoJSON layers.

use std::collections::HashMap;
use std::path::Path;

use super::{LoadedStory, Story};

const OPEN: &[u8] = b"==> ";
const CLOSE: &[u8] = b" <==\n";

/// The files of a folder as one bundle.
pub fn bundle<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        out.extend_from_slice(OPEN);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(CLOSE);
        out.extend_from_slice(bytes);
        out.push(b'\n');
    }
    out
}

/// Every file of the story folder `dir` as one bundle, in name order:
/// how the fuzzer's corpus and the smoke test start.
pub fn bundle_folder(dir: &Path) -> std::io::Result<Vec<u8>> {
    fn walk(dir: &Path, under: &str, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = format!("{under}{}", entry.file_name().to_string_lossy());
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &format!("{name}/"), out)?;
            } else {
                out.push((name, std::fs::read(entry.path())?));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    files.sort();
    Ok(bundle(
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
    ))
}

/// The files of a bundle by name. Bytes before the first header are
/// ignored; a later file of the same name wins.
pub fn unbundle(data: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut files = HashMap::new();
    let mut current: Option<(String, Vec<u8>)> = None;
    for line in data.split_inclusive(|&b| b == b'\n') {
        if let Some(name) = line
            .strip_prefix(OPEN)
            .and_then(|rest| rest.strip_suffix(CLOSE))
        {
            if let Some((name, bytes)) = current.take() {
                files.insert(name, bytes);
            }
            current = Some((String::from_utf8_lossy(name).into_owned(), Vec::new()));
        } else if let Some((_, bytes)) = current.as_mut() {
            bytes.extend_from_slice(line);
        }
    }
    if let Some((name, mut bytes)) = current {
        // `bundle` ends every file with a newline of its own.
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
        }
        files.insert(name, bytes);
    }
    files
}

/// Loads the bundle as the story `fuzzed` and, if it validates, builds
/// everything the server would serve from it. Returns how many problems were
/// found (0 for a valid story). Must never panic, whatever the bytes.
pub fn load(data: &[u8]) -> usize {
    let files = unbundle(data);
    let loaded = Story::load("fuzzed", "fuzzed", &mut |name| match files.get(name) {
        Some(bytes) => String::from_utf8(bytes.clone())
            .map_err(|error| format!("{error} (expected UTF-8 text)")),
        None => Err("no such file".to_owned()),
    });
    match loaded {
        Ok(story) => {
            let served = LoadedStory::new(story);
            // The JSON the API serves must parse back.
            for json in served.layer_geojson.values() {
                if serde_json::from_slice::<serde_json::Value>(&json.body).is_err() {
                    return 1;
                }
            }
            0
        }
        Err(problems) => {
            // Every problem is rendered for `kort check` and the logs.
            for problem in &problems {
                let _ = problem.to_string();
            }
            problems.len()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn seed_story() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/stories/arsal-convoy-2017")
    }

    fn seed_bundle() -> Vec<u8> {
        bundle_folder(&seed_story()).expect("the seed story is readable")
    }

    #[test]
    fn a_bundle_of_the_seed_story_loads_as_the_folder_does() {
        let data = seed_bundle();
        let files = unbundle(&data);
        assert!(files.contains_key("story.toml"));
        assert!(files.contains_key("layers/strikes.geojson"));
        assert_eq!(
            files["story.toml"],
            std::fs::read(seed_story().join("story.toml")).expect("manifest")
        );
        assert_eq!(load(&data), 0, "the seed story is valid");
    }

    /// A tiny deterministic generator (xorshift), so every run mutates alike.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
        }
    }

    /// What libFuzzer does, in small: flip, insert, delete, duplicate and
    /// splice bytes, and insert the tokens parsers care about.
    fn mutate(data: &mut Vec<u8>, rng: &mut Rng) {
        const TOKENS: &[&[u8]] = &[
            b"\"",
            b"[",
            b"]",
            b"{",
            b"}",
            b"=",
            b"\n",
            b"\n\n",
            b"{#",
            b"-1e999",
            b"null",
            b"NaN",
            b"\xff",
            b"\xe2\x80",
            b"==> ",
            b"\"coordinates\":[]",
            b"[[",
            b"1e308",
        ];
        for _ in 0..=rng.below(4) {
            let at = rng.below(data.len());
            match rng.below(6) {
                0 if !data.is_empty() => data[at] ^= 1 << rng.below(8),
                1 => {
                    let token = TOKENS[rng.below(TOKENS.len())];
                    data.splice(at..at, token.iter().copied());
                }
                2 if !data.is_empty() => {
                    let end = (at + rng.below(64)).min(data.len());
                    data.drain(at..end);
                }
                3 if !data.is_empty() => {
                    let end = (at + rng.below(256)).min(data.len());
                    let copy = data[at..end].to_vec();
                    let to = rng.below(data.len());
                    data.splice(to..to, copy);
                }
                4 => data.truncate(at),
                _ if !data.is_empty() => data[at] = u8::try_from(rng.below(256)).unwrap_or(0),
                _ => {}
            }
        }
    }

    /// The fuzz target's smoke mode: the seed story and thousands of
    /// mutations of it through the loader, and every crash the fuzzer has
    /// ever found (`fuzz/regressions/`), none of which may panic. The
    /// 10-minute coverage-guided run is `cargo xtask fuzz`.
    #[test]
    fn mutated_stories_never_panic_the_loader() {
        let seed = seed_bundle();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut valid = 0;
        for _ in 0..20_000 {
            let mut data = seed.clone();
            mutate(&mut data, &mut rng);
            if load(&data) == 0 {
                valid += 1;
            }
        }
        // Many mutations land in free text and still validate, so the
        // run reaches past the parsers into tying and serving.
        assert!(valid > 100, "only {valid} mutations still loaded");
        let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
        for entry in std::fs::read_dir(regressions).expect("fuzz/regressions") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "bundle") {
                load(&std::fs::read(&path).expect("readable"));
            }
        }
    }
}
