//! A city of the journeys' own, as a city has it on day one: a server with no demo data,
//! set up through the admin API with the service token as a city's admin would; and the
//! console's sign-in and sign-out, as an operator does them.

use omk_e2e::http::request;
use omk_e2e::{Browser, Result, TestServer};
use serde_json::{Value, json};

/// The service token of every server the scenarios start.
pub const ADMIN_TOKEN: &str = "journeys-operator-token-0123456789";

/// Every operator the scenarios make signs in with this password.
pub(crate) const PASSWORD: &str = "open-month-console-2026";

/// A server on a fresh database with no demo data, its service token [`ADMIN_TOKEN`].
pub(crate) async fn day_one() -> Result<TestServer> {
    TestServer::start_with(|config| {
        config.demo = false;
        config.operators.admin_token = Some(ADMIN_TOKEN.to_owned());
    })
    .await
}

/// Sends `body` to `path` of `city` with the service token; the answer, `null` when it has
/// no body. Anything but a 2xx is an error naming the request.
pub(crate) async fn as_admin(
    city: &TestServer,
    method: &str,
    path: &str,
    body: &Value,
) -> Result<Value> {
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let (status, answer) = request(
        city.addr(),
        method,
        path,
        &[("Authorization", &bearer)],
        &body.to_string(),
    )
    .await?;
    if !(200..300).contains(&status) {
        return Err(format!("{method} {path} answered {status}: {answer}").into());
    }
    Ok(serde_json::from_str(&answer).unwrap_or(Value::Null))
}

/// Puts each `(path, body)` with the service token, in order.
pub(crate) async fn put_all(city: &TestServer, items: &[(String, Value)]) -> Result<()> {
    for (path, body) in items {
        as_admin(city, "PUT", path, body).await?;
    }
    Ok(())
}

/// An operator account: `login` with `role` (and `unit`, for a unit operator), signing in
/// with [`PASSWORD`].
pub(crate) fn operator(login: &str, role: &str, unit: Option<&str>) -> (String, Value) {
    let body = match unit {
        Some(unit) => json!({"role": role, "unit": unit, "password": PASSWORD}),
        None => json!({"role": role, "password": PASSWORD}),
    };
    (format!("/api/v1/admin/operators/{login}"), body)
}

/// Forgets every cookie (the session cookie's path, `/api/v1`, hides it from the page).
pub(crate) async fn forget_cookies(b: &Browser) -> Result<()> {
    b.cdp("Network.clearBrowserCookies", json!({})).await?;
    Ok(())
}

/// Opens the console with no session: whatever an earlier scenario left is forgotten.
pub(crate) async fn signed_out(b: &Browser, city: &TestServer) -> Result<()> {
    // Leave the console first, so that no request of the signed-in page is still on its
    // way when the cookie goes.
    b.client.goto("about:blank").await?;
    forget_cookies(b).await?;
    b.client
        .goto(&format!("{}/console/", city.origin()))
        .await?;
    b.wait_for("[data-testid=signin-login]").await?;
    Ok(())
}

/// Signs in through the console's form.
pub(crate) async fn console_sign_in(b: &Browser, city: &TestServer, login: &str) -> Result<()> {
    signed_out(b, city).await?;
    b.type_into("signin-login", login).await?;
    b.type_into("signin-password", PASSWORD).await?;
    b.click("signin-submit").await?;
    b.wait_text("whoami", |t| t.contains(login)).await?;
    Ok(())
}

/// Signs out with the console's button, back to the sign-in form.
pub(crate) async fn console_sign_out(b: &Browser) -> Result<()> {
    b.click("sign-out").await?;
    b.wait_for("[data-testid=signin-login]").await?;
    Ok(())
}
