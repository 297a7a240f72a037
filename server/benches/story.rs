//! Criterion benches on deterministic data (`cargo bench -p kort-server`;
//! `cargo xtask bench` runs them and reports the medians):
//!
//! - loading and validating the seed story and the synthetic 50k story
//!   (`kort gen-story`'s default plan), each into a served catalog;
//! - rendering the story page to HTML (through the router, as a request),
//!   and answering with the kept copy of it (`page_cache`);
//! - rendering a social preview PNG (without its cache).

use std::path::Path;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use kort_app::story::{Entry, Stories};
use tower::ServiceExt;

const SEED: &str = "arsal-convoy-2017";

fn seed_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/stories")
}

fn loading(c: &mut Criterion) {
    let seed = seed_dir();
    c.bench_function("load_seed", |b| {
        b.iter(|| kort_server::load::catalog(&seed).expect("seed"));
    });
    let dir = tempfile::tempdir().expect("dir");
    kort_server::synthetic::write(dir.path(), &kort_server::synthetic::Plan::default())
        .expect("generate");
    let mut group = c.benchmark_group("large");
    group.sample_size(10);
    group.bench_function("load_synthetic_50k", |b| {
        b.iter(|| kort_server::load::catalog(dir.path()).expect("50k"));
    });
    group.finish();
}

fn rendering(c: &mut Criterion) {
    let catalog = kort_server::load::catalog(&seed_dir()).expect("seed");
    let Some((_, Entry::Ready(story))) = catalog.entries().next().map(|(s, e)| (s, e.clone()))
    else {
        panic!("the seed story does not load");
    };
    let app = kort_server::AppState::builder(Stories::new(catalog))
        .build()
        .into_router();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let get = |path: String| {
        let app = app.clone();
        async move {
            let response = app
                .oneshot(Request::get(path).body(Body::empty()).expect("request"))
                .await
                .expect("answer");
            assert_eq!(response.status(), 200);
            axum::body::to_bytes(response.into_body(), 1 << 24)
                .await
                .expect("page")
        }
    };
    // Every URL new, so every request renders (see `page_cache`).
    let mut n = 0_u64;
    c.bench_function("render_story_page", |b| {
        b.iter(|| {
            n += 1;
            runtime.block_on(get(format!("/stories/{SEED}?n={n}")))
        });
    });
    c.bench_function("kept_story_page", |b| {
        b.iter(|| runtime.block_on(get(format!("/stories/{SEED}"))));
    });
    let previews = kort_server::preview::Previews::new(kort_server::preview::Basemap::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/basemap"),
    ));
    c.bench_function("render_preview_png", |b| {
        b.iter(|| previews.render(&story, None).expect("png"));
    });
}

criterion_group!(benches, loading, rendering);
criterion_main!(benches);
