//! Operators in tests: accounts made through the admin API with one shared password,
//! signing in, and requests sent as a signed-in operator (cookie and CSRF token).

use axum::body::Body;
use axum::http::{Method, Request, header};
use omk_api::Session;
use serde_json::{Value, json};

use super::{Reply, TestApp};

/// The password of every operator a test makes.
pub const PASSWORD: &str = "a long enough password";

/// A signed-in operator: the cookie to send and the CSRF token for writes.
#[derive(Debug, Clone)]
pub struct Signed {
    pub cookie: String,
    pub csrf: String,
}

impl Signed {
    /// The session a successful sign-in answered with: the cookie's `name=value` and the
    /// CSRF token of the body.
    pub fn from_reply(reply: &Reply) -> Signed {
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
        let cookie = reply.headers[header::SET_COOKIE]
            .to_str()
            .expect("ascii")
            .split(';')
            .next()
            .expect("name=value")
            .to_owned();
        Signed {
            cookie,
            csrf: reply.json::<Session>().csrf_token,
        }
    }
}

/// Makes the account `login` with [`PASSWORD`] through the admin API: a unit operator of
/// `unit`, or an admin without one. The app must take the service token.
pub async fn add_operator(app: &TestApp, login: &str, unit: Option<&str>) {
    let body = match unit {
        Some(unit) => json!({"role": "unit", "unit": unit, "password": PASSWORD}),
        None => json!({"role": "admin", "password": PASSWORD}),
    };
    let reply = app
        .admin(
            Method::PUT,
            &format!("/api/v1/admin/operators/{login}"),
            Some(&body),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
}

/// `POST /api/v1/session` with this login and password.
pub fn sign_in_request(login: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"login": login, "password": password}).to_string(),
        ))
        .expect("request")
}

/// Tries to sign in; the answer, whatever it is.
pub async fn try_sign_in(app: &TestApp, login: &str, password: &str) -> Reply {
    app.send(sign_in_request(login, password)).await
}

/// Signs `login` in with [`PASSWORD`], which must succeed.
pub async fn sign_in(app: &TestApp, login: &str) -> Signed {
    Signed::from_reply(&try_sign_in(app, login, PASSWORD).await)
}

/// A request as the console makes it: the cookie, and the CSRF token when `csrf`.
pub async fn as_operator(
    app: &TestApp,
    who: &Signed,
    method: Method,
    uri: &str,
    body: Option<Value>,
    csrf: bool,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, &who.cookie);
    if csrf {
        request = request.header("X-CSRF-Token", &who.csrf);
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.send(request.body(body).expect("request")).await
}
