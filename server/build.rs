//! `sqlx::migrate!` embeds `migrations/` when the server is compiled; a
//! migration added later must compile it again (sqlx's own advice).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
