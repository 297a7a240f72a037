//! `kort gen-story`: a synthetic story of any size, for benchmarks and scale
//! tests. The same plan always writes the same files (a seeded generator, no
//! clock, no randomness from the system).
//!
//! The story is a valid kort story: an English article of short dispatches,
//! `events` (dated points, bunched around a few dozen towns the way real
//! reports are) and `routes` (lines that wander across the region), every
//! feature citing a source, and one in every [`Plan::mention_every`] tied to
//! a passage of the article.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use crate::store::write_atomically;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Plan {
    pub slug: String,
    pub events: usize,
    pub lines: usize,
    /// One feature in this many is mentioned in the article, but the
    /// article quotes at most [`MOST_MENTIONED`] events.
    pub mention_every: usize,
    pub seed: u64,
}

impl Default for Plan {
    /// The benchmark story: 50,000 events and 5,000 lines.
    fn default() -> Self {
        Self {
            slug: "synthetic-50k".into(),
            events: 50_000,
            lines: 5_000,
            mention_every: 100,
            seed: 2017,
        }
    }
}

/// The most events an article quotes: the 50,000-event story's 500. The
/// scale is in the layer; a story's article is an article, not a list of
/// its layer (a million events at one in a hundred would be 4,000
/// paragraphs, a page of 16 MB).
pub const MOST_MENTIONED: usize = 500;

impl Plan {
    /// One event in this many is quoted in the article.
    fn events_mentioned_every(&self) -> usize {
        self.mention_every
            .max(self.events.div_ceil(MOST_MENTIONED))
            .max(1)
    }
}

/// The region the story covers (Syria and its borders), west, south, east, north.
pub const REGION: [f64; 4] = [35.7, 32.3, 42.4, 37.3];

/// `SplitMix64`: small, fast and the same on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    #[allow(clippy::cast_precision_loss)]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// An index below `n`.
    #[allow(clippy::cast_possible_truncation)]
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Rounds to 5 decimals (about a metre), as story files give coordinates.
fn round(value: f64) -> f64 {
    (value * 1e5).round() / 1e5
}

fn clamp_to_region(lon: f64, lat: f64) -> (f64, f64) {
    (
        round(lon.clamp(REGION[0], REGION[2])),
        round(lat.clamp(REGION[1], REGION[3])),
    )
}

/// A date in 2017 from a day number (0-based).
fn day_of_2017(day: usize) -> String {
    const MONTHS: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut rest = day % 365;
    for (month, length) in MONTHS.iter().enumerate() {
        if rest < *length {
            return format!("2017-{:02}-{:02}", month + 1, rest + 1);
        }
        rest -= length;
    }
    "2017-12-31".into()
}

const SOURCES: &[(&str, &str, &str)] = &[
    ("wire", "wire-report", "Synthetic wire service"),
    ("monitor", "monitoring-group", "Synthetic monitoring group"),
    ("statement", "official-statement", "Synthetic ministry"),
];

/// The article, written as features are mentioned: five mentions to a
/// paragraph.
#[derive(Default)]
struct Article {
    text: String,
    paragraph: String,
    mentioned: usize,
}

impl Article {
    fn mention(&mut self, sentence: &str) {
        self.paragraph.push_str(sentence);
        self.paragraph.push(' ');
        self.mentioned += 1;
        if self.mentioned.is_multiple_of(5) {
            self.end_paragraph(&(self.mentioned / 5).to_string());
        }
    }

    fn end_paragraph(&mut self, id: &str) {
        writeln!(self.text, "{{#p{id}}} {}\n", self.paragraph.trim_end()).ok();
        self.paragraph.clear();
    }

    fn finish(mut self) -> String {
        if !self.paragraph.is_empty() {
            self.end_paragraph("-last");
        }
        if self.text.is_empty() {
            self.text.push_str("{#p0} Nothing was reported.\n");
        }
        self.text
    }
}

/// The features' `passages`: the quote if the article mentions it.
fn passages(mention: bool, quote: &str) -> serde_json::Value {
    if mention {
        serde_json::json!([{ "exact": quote }])
    } else {
        serde_json::json!([])
    }
}

/// Writes the story folder `<stories>/<plan.slug>`, replacing its files.
pub fn write(stories: &Path, plan: &Plan) -> std::io::Result<()> {
    let dir = stories.join(&plan.slug);
    std::fs::create_dir_all(dir.join("layers"))?;
    let mut random = Random(plan.seed);
    let towns: Vec<(f64, f64)> = (0..40)
        .map(|_| {
            (
                random.between(REGION[0] + 0.3, REGION[2] - 0.3),
                random.between(REGION[1] + 0.3, REGION[3] - 0.3),
            )
        })
        .collect();
    let mut article = Article::default();
    let events = events(plan, &towns, &mut random, &mut article);
    let routes = routes(plan, &towns, &mut random, &mut article);
    write_atomically(&dir.join("article.en.txt"), article.finish().as_bytes())?;
    write_atomically(&dir.join("story.toml"), story_toml(plan).as_bytes())?;
    write_atomically(&dir.join("sources.toml"), sources_toml().as_bytes())?;
    write_layer(&dir.join("layers/events.geojson"), &events)?;
    write_layer(&dir.join("layers/routes.geojson"), &routes)
}

/// Dated points, most of them near a town.
fn events(
    plan: &Plan,
    towns: &[(f64, f64)],
    random: &mut Random,
    article: &mut Article,
) -> Vec<serde_json::Value> {
    (0..plan.events)
        .map(|n| {
            let id = event_id(n, plan.events);
            let town = towns[random.below(towns.len())];
            let spread = if random.unit() < 0.8 { 0.15 } else { 1.5 };
            let (lon, lat) = clamp_to_region(
                town.0 + random.between(-spread, spread),
                town.1 + random.between(-spread, spread),
            );
            let date = day_of_2017(n * 365 / plan.events.max(1));
            let mention = n.is_multiple_of(plan.events_mentioned_every());
            if mention {
                article.mention(&format!(
                    "Incident {id} was reported on {date} near {lat:.2}° N, {lon:.2}° E."
                ));
            }
            serde_json::json!({
                "type": "Feature",
                "id": id.to_lowercase(),
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "title": format!("Incident {id}"),
                    "date": date,
                    "sources": [SOURCES[n % SOURCES.len()].0],
                    "uncertainty_m": 500 + (n % 20) * 250,
                    "passages": passages(mention, &format!("Incident {id}")),
                }
            })
        })
        .collect()
}

/// The id of the `n`th of `events` events: all as wide as the largest, so
/// that no quote of one ("Incident E-10000") is found inside another's
/// ("Incident E-100000"); five digits at least (the 50,000-event story's).
fn event_id(n: usize, events: usize) -> String {
    let width = events.saturating_sub(1).to_string().len().max(5);
    format!("E-{n:0width$}")
}

/// Lines that wander out from a town, 10 to 50 vertices each.
fn routes(
    plan: &Plan,
    towns: &[(f64, f64)],
    random: &mut Random,
    article: &mut Article,
) -> Vec<serde_json::Value> {
    (0..plan.lines)
        .map(|n| {
            let id = format!("R-{n:04}");
            let (mut lon, mut lat) = towns[random.below(towns.len())];
            let heading = random.between(0.0, std::f64::consts::TAU);
            let vertices = 10 + random.below(40);
            let mut line = Vec::with_capacity(vertices);
            for _ in 0..vertices {
                let (x, y) = clamp_to_region(lon, lat);
                line.push([x, y]);
                let turn = heading + random.between(-0.8, 0.8);
                lon += 0.03 * turn.cos();
                lat += 0.03 * turn.sin();
            }
            let mention = n.is_multiple_of(plan.mention_every);
            if mention {
                article.mention(&format!("Convoy route {id} was used that week."));
            }
            serde_json::json!({
                "type": "Feature",
                "id": id.to_lowercase(),
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {
                    "title": format!("Convoy route {id}"),
                    "date": day_of_2017(n * 365 / plan.lines.max(1)),
                    "sources": [SOURCES[n % SOURCES.len()].0],
                    "passages": passages(mention, &format!("Convoy route {id}")),
                }
            })
        })
        .collect()
}

fn write_layer(path: &Path, features: &[serde_json::Value]) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(features.len() * 300);
    bytes.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (n, feature) in features.iter().enumerate() {
        if n > 0 {
            bytes.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut bytes, feature)?;
    }
    bytes.write_all(b"\n]}\n")?;
    write_atomically(path, &bytes)
}

fn story_toml(plan: &Plan) -> String {
    format!(
        r##"# A synthetic story written by `kort gen-story` (seed {seed}): not news.
title = "Synthetic story: {events} events and {lines} routes"
language = "en"
published = "2017-12-31"
source_text = "Generated by kort gen-story for benchmarks"
summary = "A generated story with {events} dated events and {lines} routes, to measure kort at scale. Nothing in it happened."
article = "article.en.txt"
sources = "sources.toml"
view = {{ west = {w}, south = {s}, east = {e}, north = {n} }}

[[layers]]
id = "events"
title = "Events"
file = "layers/events.geojson"
style = {{ symbol = "strike", color = "#b91c1c" }}

[[layers]]
id = "routes"
title = "Routes"
file = "layers/routes.geojson"
style = {{ symbol = "route", color = "#1d4ed8" }}
"##,
        seed = plan.seed,
        events = plan.events,
        lines = plan.lines,
        w = REGION[0],
        s = REGION[1],
        e = REGION[2],
        n = REGION[3],
    )
}

fn sources_toml() -> String {
    let mut text = String::from("# Synthetic sources: none of them exists.\n");
    for (id, kind, publisher) in SOURCES {
        write!(
            text,
            "\n[[source]]\nid = \"{id}\"\nkind = \"{kind}\"\npublisher = \"{publisher}\"\ndate = \"2017-12-31\"\ntitle = \"Generated reports ({publisher})\"\n"
        )
        .ok();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_event_s_id_is_found_inside_another_s() {
        assert_eq!(event_id(7, 50_000), "E-00007", "the 50k story's ids stay");
        assert_eq!(event_id(10_000, 1_000_000), "E-010000");
        assert_eq!(event_id(999_999, 1_000_000), "E-999999");
    }

    #[test]
    fn the_same_plan_writes_the_same_valid_story() {
        let plan = Plan {
            slug: "small".into(),
            events: 1_000,
            lines: 100,
            mention_every: 50,
            seed: 7,
        };
        let first = tempfile::tempdir().expect("dir");
        let second = tempfile::tempdir().expect("dir");
        write(first.path(), &plan).expect("write");
        write(second.path(), &plan).expect("write");
        for file in [
            "story.toml",
            "article.en.txt",
            "layers/events.geojson",
            "layers/routes.geojson",
        ] {
            let read = |dir: &Path| std::fs::read(dir.join("small").join(file)).expect(file);
            assert_eq!(read(first.path()), read(second.path()), "{file} differs");
        }
        let catalog = crate::load::catalog(first.path()).expect("catalog");
        let story = match catalog.entries().next() {
            Some((_, kort_app::story::Entry::Ready(story))) => story.clone(),
            other => panic!("expected a valid story, got {other:?}"),
        };
        let page = story.page();
        let count = |layer: &str| page.layer(layer).map_or(0, |l| l.total);
        assert_eq!(count("events"), 1_000);
        assert_eq!(count("routes"), 100);
        let mentioned = page
            .layers
            .iter()
            .flat_map(|layer| &layer.features)
            .filter(|feature| !feature.passages.is_empty())
            .count();
        assert_eq!(mentioned, 1_000 / 50 + 100 / 50);
    }
}
