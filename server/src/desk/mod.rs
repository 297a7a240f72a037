//! The desk: where editors sign in, make drafts and publish them.
//!
//! Every request under `/desk` passes [`guard`]:
//!
//! - Without a live session only the sign-in page answers; pages send the
//!   reader to it, actions are refused with 401.
//! - Every request that changes anything (any method but GET and HEAD) must
//!   carry an `Origin` header naming kort's own origin: the public URL's,
//!   or the one the request was made to (its `Host`). That, with the
//!   session cookie being `SameSite=Strict`, is the CSRF proof: a browser
//!   sends neither a cross-site request's cookie nor a false `Origin`, and
//!   the check needs no token in every form and no state on the server.
//!   Browsers send `Origin` with every POST; a request without one is
//!   refused.
//! - Answers are never stored by a cache (`Cache-Control: no-store`).
//!
//! Sessions are in [`sessions`], accounts in [`users`], the limits on
//! failed sign-ins in [`signin`], the drafts in [`drafts`].

pub mod drafts;
pub mod features;
pub mod folders;
pub mod media;
pub mod places;
pub mod preview;
pub mod sessions;
pub mod signin;
pub mod users;
pub mod words;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kort_app::desk::{DESK, DeskUser, LOGIN, StoryFields, story_path};
use kort_app::model::ChangeKind;
use kort_app::story::Stories;
use serde::Deserialize;
use tokio::sync::Semaphore;

use drafts::{DeskError, Drafts};
use sessions::{SessionError, Sessions};
use signin::Throttle;
use users::Accounts;

/// The shortest time a sign-in takes to answer, right or wrong: the answer
/// says nothing by its timing, and guessing is slow.
const SIGN_IN_ANSWER: Duration = Duration::from_secs(1);
/// Password checks run at once (each is 19 MiB and tens of milliseconds of
/// one core); more wait, up to [`HASH_WAIT`].
const HASHES_AT_ONCE: usize = 2;
const HASH_WAIT: Duration = Duration::from_secs(5);
/// How long an upload waits for the one before it.
const UPLOAD_WAIT: Duration = Duration::from_secs(30);

/// Where the desk keeps its files.
#[derive(Debug, Clone)]
pub struct DeskConfig {
    /// The accounts file (`KORT_USERS`).
    pub users: PathBuf,
    /// The drafts folder (`KORT_DRAFTS`).
    pub drafts: PathBuf,
    /// The published stories (`KORT_DATA`).
    pub published: PathBuf,
}

/// The desk's state, shared by its routes.
#[derive(Clone)]
pub struct Desk {
    accounts: Accounts,
    sessions: Sessions,
    throttle: Arc<Throttle>,
    hashing: Arc<Semaphore>,
    /// Media uploads being written (one at a time: each may be hundreds of
    /// megabytes of disk and hashing).
    uploads: Arc<Semaphore>,
    pub drafts: Drafts,
    published: PathBuf,
    stories: Stories,
    /// `Secure` cookies, under the `__Host-` prefix (the public URL is https).
    secure: bool,
    /// The public URL's origin, `scheme://host[:port]`.
    origin: Option<String>,
    /// The basemap's gazetteer.
    places: Arc<places::Places>,
    /// Drafts loaded for previews.
    pub(crate) previews: preview::Kept,
}

impl Desk {
    pub fn new(
        config: DeskConfig,
        stories: Stories,
        public_url: &str,
        places: places::Places,
        store: Option<crate::postgres::PgStore>,
    ) -> Self {
        let origin = url::Url::parse(public_url)
            .ok()
            .map(|url| url.origin().ascii_serialization())
            .filter(|origin| origin != "null");
        Self {
            accounts: Accounts::new(
                store
                    .clone()
                    .map_or(users::Kept::File(config.users), |store| {
                        users::Kept::Store(Box::new(store))
                    }),
            ),
            sessions: store
                .clone()
                .map_or_else(Sessions::default, Sessions::in_store),
            throttle: Arc::default(),
            hashing: Arc::new(Semaphore::new(HASHES_AT_ONCE)),
            uploads: Arc::new(Semaphore::new(1)),
            drafts: Drafts::new(config.drafts, config.published.clone()).with_store(store),
            published: config.published,
            stories,
            secure: public_url.starts_with("https://"),
            origin,
            places: Arc::new(places),
            previews: preview::Kept::default(),
        }
    }

    fn cookie_name(&self) -> &'static str {
        if self.secure {
            "__Host-kort-desk"
        } else {
            "kort-desk"
        }
    }

    /// The session token the request's cookie carries.
    fn token(&self, headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == self.cookie_name())
            .map(|cookie| cookie.value().to_owned())
    }

    /// The signed-in user, if the request has a live session whose account
    /// is as it was when they signed in.
    async fn user(&self, headers: &HeaderMap) -> Result<Option<DeskUser>, SessionError> {
        let Some(token) = self.token(headers) else {
            return Ok(None);
        };
        let Some((name, account)) = self.sessions.find(&token).await? else {
            return Ok(None);
        };
        let found = self
            .accounts
            .user(&name)
            .await
            .map_err(|error| SessionError::Unavailable(error.to_string()))?;
        match found {
            Some(user) if fingerprint(&user) == account => Ok(Some(DeskUser {
                name,
                publisher: user.role.publishes(),
            })),
            _ => {
                self.sessions.end(&token).await?;
                Ok(None)
            }
        }
    }

    /// Whether the request says it comes from kort's own pages.
    fn same_origin(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        if self.origin.as_deref() == Some(origin) {
            return true;
        }
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let authority = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        matches!((authority, host), (Some(authority), Some(host)) if authority == host)
    }

    fn session_cookie(&self, token: &str, max_age: Option<cookie::time::Duration>) -> HeaderValue {
        let mut cookie = cookie::Cookie::build((self.cookie_name(), token.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(cookie::SameSite::Strict)
            .secure(self.secure)
            .build();
        if let Some(age) = max_age {
            cookie.set_max_age(age);
        }
        HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static(""))
    }

    /// Brings what the desk page at `path` shows to the store's version,
    /// before it is shown; with the store away, the page shows this
    /// instance's last copy (and saving says it is unavailable).
    async fn catch_up(&self, user: &str, path: &str) {
        let (drafts, user, path) = (self.drafts.clone(), user.to_owned(), path.to_owned());
        if let Err(error) = blocking(move || drafts.catch_up(&user, &path)).await {
            tracing::warn!(%error, "the desk shows its last copy of the drafts");
        }
    }

    /// Reads the published stories again, so readers see a publish at once.
    async fn republish(&self) {
        let (dir, stories) = (self.published.clone(), self.stories.clone());
        let reloaded = tokio::task::spawn_blocking(move || {
            crate::reload::reload(&dir, &stories).map_err(|problem| problem.to_string())
        })
        .await;
        match reloaded {
            Ok(Ok(_)) => {}
            Ok(Err(problem)) => tracing::error!(%problem, "published stories not reloaded"),
            Err(error) => tracing::error!(%error, "published stories not reloaded"),
        }
    }
}

/// What an account is now: a changed password or role ends its sessions.
fn fingerprint(user: &users::User) -> String {
    format!("{}:{}", user.role.as_str(), user.password_hash)
}

/// Whether `path` is the desk's.
pub fn is_desk(path: &str) -> bool {
    path == DESK || path.starts_with("/desk/")
}

/// The address a request came from (unspecified where the server was not
/// told, as in some tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// Lets through only what the desk allows; see the module's documentation.
/// Without a desk, nothing under `/desk` answers.
pub async fn guard(State(desk): State<Option<Desk>>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !is_desk(path) {
        return next.run(request).await;
    }
    let Some(desk) = desk else {
        return refuse(StatusCode::NOT_FOUND, "there is no desk on this site");
    };
    let login = request.uri().path() == LOGIN;
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |connection| {
            connection.0.ip()
        });
    request.extensions_mut().insert(ClientAddr(address));
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    let mut response = if !reads && !desk.same_origin(request.headers()) {
        refuse(
            StatusCode::FORBIDDEN,
            "refused: this request did not come from kort's desk (its Origin header is missing or names another site)",
        )
    } else {
        match desk.user(request.headers()).await {
            Err(error) => {
                tracing::error!(%error, "desk unavailable: its sessions cannot be read");
                refuse(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the desk is unavailable for now: its sessions are kept in the store shared by kort's instances, which cannot be reached; try again in a moment",
                )
            }
            Ok(Some(user)) => {
                if reads {
                    desk.catch_up(&user.name, request.uri().path()).await;
                }
                request.extensions_mut().insert(user);
                next.run(request).await
            }
            Ok(None) if login => next.run(request).await,
            Ok(None) if reads => Redirect::to(LOGIN).into_response(),
            Ok(None) => refuse(
                StatusCode::UNAUTHORIZED,
                "refused: sign in at /desk/login first (the session is missing or has ended)",
            ),
        }
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        why,
    )
        .into_response()
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignIn {
    name: String,
    password: String,
}

/// `POST /desk/login`.
pub async fn sign_in(
    State(desk): State<Desk>,
    Extension(ClientAddr(address)): Extension<ClientAddr>,
    Form(form): Form<SignIn>,
) -> Response {
    let started = Instant::now();
    let name = form.name.trim().to_owned();
    let valid = users::valid_name(&name);
    let mut user = None;
    let mut away = None;
    if desk.throttle.allows(&name, address) {
        let permit =
            tokio::time::timeout(HASH_WAIT, Arc::clone(&desk.hashing).acquire_owned()).await;
        let found = if valid {
            desk.accounts.user(&name).await
        } else {
            Ok(None)
        };
        match (permit, found) {
            (_, Err(error)) => away = Some(error.to_string()),
            (Ok(Ok(permit)), Ok(found)) => {
                let accounts = desk.accounts.clone();
                user = tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    accounts.check(found, &form.password)
                })
                .await
                .ok()
                .flatten();
            }
            (_, Ok(_)) => {}
        }
        // A store away is no wrong password.
        if user.is_none() && away.is_none() {
            // Names that cannot be accounts count against the address only.
            desk.throttle
                .failed(if valid { &name } else { "" }, address);
        }
    }
    let session = match user {
        Some(user) => Some((
            desk.sessions.start(&user.name, &fingerprint(&user)).await,
            user,
        )),
        None => None,
    };
    let away = away.or_else(|| match &session {
        Some((Err(SessionError::Unavailable(error)), _)) => Some(error.clone()),
        _ => None,
    });
    let response = if let Some(error) = away {
        tracing::error!(%error, "sign-in not possible: the accounts or sessions cannot be reached");
        refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "the desk is unavailable for now: its accounts and sessions are kept in the store shared by kort's instances, which cannot be reached; try again in a moment",
        )
    } else if let Some((Ok(token), user)) = session {
        desk.throttle.succeeded(&user.name);
        tracing::info!(user = user.name, %address, "signed in");
        let mut response = Redirect::to(DESK).into_response();
        response
            .headers_mut()
            .insert(header::SET_COOKIE, desk.session_cookie(&token, None));
        response
    } else {
        let shown: String = name.chars().take(64).collect();
        tracing::warn!(user = ?shown, %address, "sign-in refused");
        Redirect::to(&format!("{LOGIN}?failed")).into_response()
    };
    tokio::time::sleep_until((started + SIGN_IN_ANSWER).into()).await;
    response
}

/// `POST /desk/logout`.
pub async fn sign_out(State(desk): State<Desk>, headers: HeaderMap) -> Response {
    if let Some(token) = desk.token(&headers)
        && let Err(error) = desk.sessions.end(&token).await
    {
        // The cookie goes all the same; the session ends when it idles out.
        tracing::error!(%error, "the session could not be ended");
    }
    let mut response = Redirect::to(LOGIN).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        desk.session_cookie("", Some(cookie::time::Duration::ZERO)),
    );
    response
}

/// Runs a desk action off the async threads (it reads and writes files).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DeskError> + Send + 'static,
) -> Result<T, DeskError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|error| Err(DeskError::Invalid(format!("the desk failed: {error}"))))
}

/// The answer to a failed action, for a form: back to the page, which says
/// why, or a refusal.
fn after(error: &DeskError, page: &str) -> Response {
    match error {
        DeskError::NotFound(_) => refuse(StatusCode::NOT_FOUND, "there is no such story"),
        DeskError::NotAllowed => refuse(
            StatusCode::FORBIDDEN,
            "refused: only a publisher may do that",
        ),
        DeskError::Conflict => Redirect::to(&format!("{page}?error=changed")).into_response(),
        DeskError::Problems(_) => Redirect::to(&format!("{page}?error=problems")).into_response(),
        DeskError::Invalid(_) => Redirect::to(&format!("{page}?error=invalid")).into_response(),
        DeskError::Unavailable(error) => {
            tracing::error!(%error, "desk action failed: the store is away");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "saving is unavailable for now: the store shared by kort's instances cannot be reached; nothing was changed, try again in a moment",
            )
        }
        DeskError::Io(error) => {
            tracing::error!(%error, "desk action failed");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the story files could not be written; nothing was changed",
            )
        }
    }
}

/// Makes a change to the draft of `slug` as `user`, off the async threads;
/// back to the story's page, which says it was saved, or why not.
async fn change<T: Send + 'static>(
    desk: &Desk,
    user: &DeskUser,
    slug: &str,
    work: impl FnOnce(&Drafts, &str, &str) -> Result<T, DeskError> + Send + 'static,
) -> Response {
    change_at(desk, user, slug, "", work).await
}

/// [`change`], back to the part of the page at `fragment` (`#features`).
async fn change_at<T: Send + 'static>(
    desk: &Desk,
    user: &DeskUser,
    slug: &str,
    fragment: &'static str,
    work: impl FnOnce(&Drafts, &str, &str) -> Result<T, DeskError> + Send + 'static,
) -> Response {
    // A form's field may be refused before the draft is looked for; the
    // answer sends the editor back to the story, whose slug must be one.
    if !kort_app::story::valid_id(slug) {
        return refuse(StatusCode::NOT_FOUND, "there is no such story");
    }
    let page = story_path(slug);
    let (drafts, name, story) = (desk.drafts.clone(), user.name.clone(), slug.to_owned());
    match blocking(move || work(&drafts, &name, &story)).await {
        Ok(_) => Redirect::to(&format!("{page}?saved{fragment}")).into_response(),
        Err(error) => {
            desk.drafts.refused(&user.name, slug, &error);
            after(&error, &page)
        }
    }
}

/// `POST /desk/stories`: a new draft.
pub async fn create(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Form(fields): Form<StoryFields>,
) -> Response {
    let drafts = desk.drafts.clone();
    match blocking(move || drafts.create(&user.name, &fields)).await {
        Ok(slug) => Redirect::to(&story_path(&slug)).into_response(),
        Err(error) => after(&error, DESK),
    }
}

/// The story form: the fields, the article, and the revision it shows.
#[derive(Deserialize)]
pub struct SaveForm {
    base: String,
    article: String,
    #[serde(flatten)]
    fields: StoryFields,
}

/// `POST /desk/stories/{slug}`: saves the draft.
pub async fn save(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<SaveForm>,
) -> Response {
    change(&desk, &user, &slug, move |drafts, user, slug| {
        drafts.save(user, slug, &form.base, form.fields, &form.article)
    })
    .await
}

/// The publish form: the revision the publisher saw, and what readers
/// are told of the change (`kind`: correction, update or clarification,
/// or nothing; `note`: why).
#[derive(Deserialize)]
pub struct PublishForm {
    revision: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
}

/// `POST /desk/stories/{slug}/publish`.
pub async fn publish(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<PublishForm>,
) -> Response {
    let page = story_path(&slug);
    if !user.publisher {
        return after(&DeskError::NotAllowed, &page);
    }
    let name = form.kind.trim();
    let kind = ChangeKind::from_name(name);
    if kind.is_none() && !name.is_empty() {
        let error = DeskError::Invalid(format!(
            "kind: {name:?} is not one kort knows; expected correction, update or clarification"
        ));
        desk.drafts.refused(&user.name, &slug, &error);
        return after(&error, &page);
    }
    let told = drafts::Told {
        kind,
        note: form.note,
    };
    let (drafts, name, story) = (desk.drafts.clone(), user.name.clone(), slug.clone());
    let published = blocking(move || drafts.publish(&name, &story, &form.revision, &told)).await;
    match published {
        Ok(()) => {
            tracing::info!(user = user.name, story = page, "published");
            desk.republish().await;
            Redirect::to(&format!("{page}?published")).into_response()
        }
        Err(error) => {
            desk.drafts.refused(&user.name, &slug, &error);
            after(&error, &page)
        }
    }
}

/// `POST /desk/stories/{slug}/unpublish`: readers get 404 from now on.
pub async fn unpublish(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
) -> Response {
    let page = story_path(&slug);
    if !user.publisher {
        return after(&DeskError::NotAllowed, &page);
    }
    let (drafts, name) = (desk.drafts.clone(), user.name.clone());
    match blocking(move || drafts.unpublish(&name, &slug)).await {
        Ok(()) => {
            tracing::info!(user = user.name, story = page, "unpublished");
            desk.republish().await;
            Redirect::to(&format!("{page}?unpublished")).into_response()
        }
        Err(error) => after(&error, &page),
    }
}

/// The source form: the revision it shows, and the source.
#[derive(Deserialize)]
pub struct SourceForm {
    base: String,
    #[serde(flatten)]
    source: kort_app::desk::DeskSource,
}

/// `POST /desk/stories/{slug}/sources`: adds or changes a source.
pub async fn save_source(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<SourceForm>,
) -> Response {
    change(&desk, &user, &slug, move |drafts, user, slug| {
        drafts.save_source(user, slug, &form.base, &form.source)
    })
    .await
}

/// `POST /desk/stories/{slug}/translations`: adds or saves a translation.
/// The form has `base`, `language`, `title`, `translator`, and each
/// paragraph's text as `p:<id>`.
pub async fn save_translation(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let base = field(&pairs, "base");
    let translation = kort_app::desk::DeskTranslation {
        language: field(&pairs, "language"),
        title: field(&pairs, "title"),
        translator: field(&pairs, "translator"),
        paragraphs: pairs
            .iter()
            .filter_map(|(key, value)| {
                let id = key.strip_prefix(kort_app::desk::PARAGRAPH_FIELD)?;
                Some((id.to_owned(), String::new(), value.clone()))
            })
            .collect(),
    };
    change(&desk, &user, &slug, move |drafts, user, slug| {
        drafts.save_translation(user, slug, &base, &translation)
    })
    .await
}

/// `POST /desk/stories/{slug}/words`: saves the story's words in one
/// other language. The form has `base`, `language`, and each word by its
/// [`WordField`](kort_app::desk::WordField) name.
pub async fn save_words(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (base, language) = (field(&pairs, "base"), field(&pairs, "language"));
    let words: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(key, _)| key != "base" && key != "language")
        .collect();
    change_at(&desk, &user, &slug, "#words", move |drafts, user, slug| {
        drafts.save_words(user, slug, &base, &language, &words)
    })
    .await
}

/// The new-layer form.
#[derive(Deserialize)]
pub struct LayerForm {
    base: String,
    title: String,
    symbol: String,
    color: String,
}

/// `POST /desk/stories/{slug}/layers`: adds an empty layer.
pub async fn add_layer(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<LayerForm>,
) -> Response {
    change(&desk, &user, &slug, move |drafts, user, slug| {
        drafts.add_layer(
            user,
            slug,
            &form.base,
            &form.title,
            &form.symbol,
            &form.color,
        )
    })
    .await
}

/// The value of the form field `name` (the first, if posted more than once).
fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

/// `POST /desk/stories/{slug}/features`: adds or changes a feature. The
/// form has `base`, [`DeskFeature`](kort_app::desk::DeskFeature)'s fields,
/// and one `source` per source cited.
pub async fn save_feature(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let text = |name: &str| field(&pairs, name);
    let feature = kort_app::desk::DeskFeature {
        id: text("id"),
        layer: text("layer"),
        title: text("title"),
        name_ar: text("name_ar"),
        place: text("place"),
        geometry: text("geometry"),
        uncertainty_m: text("uncertainty_m"),
        published_precision_m: text("published_precision_m"),
        geolocation_method: text("geolocation_method"),
        geolocation_by: text("geolocation_by"),
        geolocation_at: text("geolocation_at"),
        geolocation_source: text("geolocation_source"),
        geolocation_links: text("geolocation_links"),
        date: text("date"),
        precision: text("precision"),
        until: text("until"),
        approximate: !text("approximate").is_empty(),
        note: text("note"),
        sources: pairs
            .iter()
            .filter(|(key, _)| key == "source")
            .map(|(_, value)| value.clone())
            .collect(),
        ..kort_app::desk::DeskFeature::default()
    };
    let (base, places) = (text("base"), desk.places.clone());
    change_at(
        &desk,
        &user,
        &slug,
        "#features",
        move |drafts, user, slug| drafts.save_feature(user, slug, &base, &feature, &places),
    )
    .await
}

/// The form that names a feature of a draft (and, for a split, a vertex).
#[derive(Deserialize)]
pub struct FeatureAction {
    base: String,
    id: String,
    #[serde(default)]
    at: String,
}

impl FeatureAction {
    /// `at`, counted from 1 as the page lists them, from 0.
    fn index(&self, what: &str) -> Result<usize, DeskError> {
        self.at
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|at| at.checked_sub(1))
            .ok_or_else(|| {
                DeskError::Invalid(format!(
                    "at: {:?} is not {what}; expected its number, from 1",
                    self.at
                ))
            })
    }
}

/// `POST /desk/stories/{slug}/features/remove`.
pub async fn remove_feature(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<FeatureAction>,
) -> Response {
    change_at(
        &desk,
        &user,
        &slug,
        "#features",
        move |drafts, user, slug| drafts.remove_feature(user, slug, &form.base, &form.id),
    )
    .await
}

/// `POST /desk/stories/{slug}/features/split`: splits a route at the
/// point `at` (counted from 1, as the form lists them).
pub async fn split_route(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<FeatureAction>,
) -> Response {
    change_at(
        &desk,
        &user,
        &slug,
        "#features",
        move |drafts, user, slug| {
            let at = form.index("a point of the route")?;
            drafts.split_route(user, slug, &form.base, &form.id, at)
        },
    )
    .await
}

/// The link form: the revision it shows, and the words to link.
#[derive(Deserialize)]
pub struct LinkForm {
    base: String,
    #[serde(flatten)]
    link: features::Link,
}

/// `POST /desk/stories/{slug}/links`: links words of the article to a
/// feature (a new one, if the form names none).
pub async fn link_passage(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<LinkForm>,
) -> Response {
    change_at(
        &desk,
        &user,
        &slug,
        "#linking",
        move |drafts, user, slug| drafts.link_passage(user, slug, &form.base, &form.link),
    )
    .await
}

/// `POST /desk/stories/{slug}/links/remove`: the form names the feature
/// (`id`) and its passage (`at`, counted from 1).
pub async fn unlink_passage(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<FeatureAction>,
) -> Response {
    change_at(
        &desk,
        &user,
        &slug,
        "#features",
        move |drafts, user, slug| {
            let at = form.index("a passage of the feature")?;
            drafts.unlink_passage(user, slug, &form.base, &form.id, at)
        },
    )
    .await
}

/// The place search's query.
#[derive(Deserialize)]
pub struct PlaceQuery {
    #[serde(default)]
    q: String,
}

/// `GET /desk/places?q=`: the basemap's places that match, as JSON.
pub async fn places(
    State(desk): State<Desk>,
    axum::extract::Query(query): axum::extract::Query<PlaceQuery>,
) -> Response {
    axum::Json(desk.places.search(&query.q)).into_response()
}

/// `POST /desk/stories/{slug}/import` (multipart): a file into a layer,
/// with `base`, `layer`, `format`, the mapping's property names (`id`,
/// `title`, `date`, `note`, `uncertainty_m`, `lat`, `lon`) and one `source`
/// per source every feature cites. Its size is bounded by the route's body
/// limit.
pub async fn import(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    multipart: axum::extract::Multipart,
) -> Response {
    let read = read_upload(multipart).await;
    change_at(&desk, &user, &slug, "#import", move |drafts, user, slug| {
        let (base, upload) = read?;
        drafts.import(user, slug, &base, &upload)
    })
    .await
}

/// `POST /desk/stories/{slug}/sources/media` (multipart): a picture or
/// video for a source, with `base`, `id` (the source), `kind`, `credit`,
/// `alt`, `content_warning` and the `file`. Its size is bounded by the
/// route's body limit, one upload is written at a time, and it goes to
/// disk as it arrives.
pub async fn attach_media(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    multipart: axum::extract::Multipart,
) -> Response {
    let Ok(_turn) = tokio::time::timeout(UPLOAD_WAIT, desk.uploads.acquire()).await else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "another upload is being written; try again in a minute",
        );
    };
    let read = media::read(multipart, &desk.drafts.uploads_dir()).await;
    change_at(
        &desk,
        &user,
        &slug,
        "#sources",
        move |drafts, user, slug| drafts.attach_media(user, slug, read?),
    )
    .await
}

/// The import form's fields and file.
async fn read_upload(
    mut multipart: axum::extract::Multipart,
) -> Result<(String, features::Upload), DeskError> {
    let broken = |error: axum::extract::multipart::MultipartError| {
        DeskError::Invalid(format!(
            "file: the upload could not be read ({error}); expected a file of at most {} MiB",
            crate::load::max_file_bytes() / 1024 / 1024
        ))
    };
    let (mut base, mut upload) = (String::new(), features::Upload::default());
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.name = field.file_name().unwrap_or("upload").to_owned();
            upload.bytes = field.bytes().await.map_err(broken)?.to_vec();
            continue;
        }
        let value = field.text().await.map_err(broken)?.trim().to_owned();
        let mapping = &mut upload.mapping;
        let property = Some(value.clone()).filter(|value| !value.is_empty());
        match name.as_str() {
            "base" => base = value,
            "layer" => upload.layer = value,
            "format" => upload.format = value,
            "source" if !value.is_empty() => mapping.sources.push(value),
            "id" => mapping.id = property,
            "title" => mapping.title = property,
            "date" => mapping.date = property,
            "note" => mapping.note = property,
            "uncertainty_m" => mapping.uncertainty_m = property,
            "lat" => mapping.lat = property,
            "lon" => mapping.lon = property,
            _ => {}
        }
    }
    if upload.bytes.is_empty() {
        return Err(DeskError::Invalid(
            "file: no file was chosen, or it is empty; expected GeoJSON, NDJSON or CSV".into(),
        ));
    }
    Ok((base, upload))
}

/// The form that names only the revision it was made from.
#[derive(Deserialize)]
pub struct BaseForm {
    base: String,
}

/// `POST /desk/stories/{slug}/fit`: the view fitted to the features.
pub async fn fit_view(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<BaseForm>,
) -> Response {
    change(&desk, &user, &slug, move |drafts, user, slug| {
        drafts.fit_view(user, slug, &form.base)
    })
    .await
}

/// A layer's form: which layer, its title and style, or a move.
#[derive(Deserialize)]
pub struct LayerEdit {
    base: String,
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    symbol: String,
    #[serde(default)]
    color: String,
    /// `up` or `down`, for a move.
    #[serde(default)]
    to: String,
}

/// `POST /desk/stories/{slug}/layers/edit`: renames and restyles a layer.
pub async fn save_layer(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<LayerEdit>,
) -> Response {
    change(&desk, &user, &slug, move |drafts, user, slug| {
        drafts.save_layer(
            user,
            slug,
            &form.base,
            &form.id,
            (&form.title, &form.symbol, &form.color),
        )
    })
    .await
}

/// `POST /desk/stories/{slug}/layers/move`: one place up or down.
pub async fn move_layer(
    State(desk): State<Desk>,
    Extension(user): Extension<DeskUser>,
    Path(slug): Path<String>,
    Form(form): Form<LayerEdit>,
) -> Response {
    change(&desk, &user, &slug, move |drafts, user, slug| {
        let up = match form.to.as_str() {
            "up" => true,
            "down" => false,
            other => {
                return Err(DeskError::Invalid(format!(
                    "to: {other:?} is not a direction; expected up or down"
                )));
            }
        };
        drafts.move_layer(user, slug, &form.base, &form.id, up)
    })
    .await
}
