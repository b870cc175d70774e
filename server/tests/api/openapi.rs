//! The OpenAPI document describes every route the router serves, every status each can give,
//! and the rules validation enforces; and the server refuses what the document forbids.

use std::collections::BTreeSet;
use std::path::Path;

use axum::body::Body;
use axum::http::{Method, Request, header};
use omk_api::events::EventInput;
use omk_api::{
    AuditQuery, CategoryInput, EventQuery, InboxQuery, NewIssue, NewRegistration, OperatorInput,
    ProblemKind, SignIn, TopicInput, numbers, patterns,
};
use regex::Regex;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{ADMIN_TOKEN, TestApp};

/// The methods an OpenAPI path item may hold.
const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn document(app: &TestApp) -> Value {
    let reply = app.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status.as_u16(), 200);
    reply.json()
}

/// Every documented operation: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                all.push((method.to_owned(), path.clone(), operation.clone()));
            }
        }
    }
    all
}

/// Where the routers of each file of `server/src/routes/` are mounted, by router function.
fn mount_point(file: &str, router: &str) -> Option<&'static str> {
    match (file, router) {
        ("health.rs", "router") => Some(""),
        (
            "admin.rs"
            | "inbox.rs"
            | "operators.rs"
            | "audit.rs"
            | "cycle_admin.rs"
            | "letters_admin.rs"
            | "consultations_admin.rs",
            "router",
        ) => Some("/api/v1/admin"),
        ("reference.rs", "read_router" | "write_router") => Some("/api/v1/admin"),
        ("outcome.rs", "admin_router" | "reader_router" | "operator_router") => {
            Some("/api/v1/admin")
        }
        ("reference.rs", "public_router") => Some("/api/v1"),
        ("mod.rs", "api_router") => Some("/api/v1"),
        (_, "router") => Some("/api/v1"),
        _ => None,
    }
}

/// Every `(method, path)` the routers declare, read from their source: each `.route("…", …)`
/// call with its method handlers, under the mount point of the function it is in.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routes");
    let route = Regex::new(r#"\.route\(\s*"([^"]+)""#).expect("regex");
    let function = Regex::new(r"fn (\w+)\(").expect("regex");
    let method = Regex::new(r"\b(get|post|put|delete|patch)\(").expect("regex");
    let mut routes = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("routes folder") {
        let path = entry.expect("entry").path();
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).expect("source");
        for found in route.captures_iter(&text) {
            let whole = found.get(0).expect("match");
            let router = function
                .captures_iter(&text[..whole.start()])
                .last()
                .map(|c| c[1].to_owned())
                .unwrap_or_default();
            let prefix = mount_point(file, &router).unwrap_or_else(|| {
                panic!("{file}: where is `{router}` mounted? add it to mount_point()")
            });
            // The handlers: up to the `.route(` call's closing parenthesis.
            let mut depth = 0;
            let mut end = whole.start();
            for (i, c) in text[whole.start() + ".route".len()..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = whole.start() + ".route".len() + i;
                    break;
                }
            }
            let handlers = &text[whole.end()..end];
            for m in method.captures_iter(handlers) {
                routes.insert((m[1].to_owned(), format!("{prefix}{}", &found[1])));
            }
        }
    }
    routes
}

#[test]
fn every_route_the_routers_declare_is_documented_and_nothing_else() {
    let doc: Value = serde_json::from_str(omk_server::openapi::json()).expect("document");
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let served = routes_in_source();
    assert!(
        served.len() > 40,
        "the source scan found too little: {served:?}"
    );
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "served, not documented: {undocumented:?}"
    );
    assert!(unserved.is_empty(), "documented, not served: {unserved:?}");
}

async fn every_documented_operation_reaches_its_handler() {
    let app = TestApp::configured(|c| c.operators.admin_token = Some(ADMIN_TOKEN.into())).await;
    let doc = document(&app).await;
    for (method, path, _) in operations(&doc) {
        let uri = path
            .replace("{list}", "units")
            .replace("{id}", "1")
            .replace("{tracking_no}", "OM-0000-0000")
            .replace("{login}", "probe");
        let mut request = Request::builder()
            .method(Method::from_bytes(method.to_uppercase().as_bytes()).expect("method"))
            .uri(&uri)
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"));
        if method == "post" || method == "put" {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let body = if method == "post" || method == "put" {
            Body::from("{}")
        } else {
            Body::empty()
        };
        // The status only: the live stream's body never ends.
        let response = app
            .router
            .clone()
            .oneshot(request.body(body).expect("request"))
            .await
            .expect("infallible");
        let status = response.status().as_u16();
        assert_ne!(status, 405, "{method} {uri}: no such method");
        if !path.contains('{') {
            assert_ne!(status, 404, "{method} {uri}: no such route");
        }
    }
}

#[test]
fn every_operation_states_the_statuses_it_can_give() {
    let doc: Value = serde_json::from_str(omk_server::openapi::json()).expect("document");
    let ids: Vec<_> = operations(&doc)
        .iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str().map(str::to_owned))
        .collect();
    let unique: BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "operation ids repeat: {ids:?}");
    let known: BTreeSet<String> = ProblemKind::ALL.iter().map(|k| k.type_uri()).collect();
    for (method, path, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().expect("responses");
        let has = |status: &str| responses.contains_key(status);
        let name = format!("{method} {path}");
        for status in ["429", "500", "503"] {
            assert!(has(status), "{name} lacks {status}");
        }
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{name} has no success"
        );
        if operation.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{name} takes a body but lacks {status}");
            }
        }
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if parameters.iter().any(|p| p["in"] == "query") {
            assert!(has("400"), "{name} takes a query but lacks 400");
        }
        if path.starts_with("/api/v1/admin") {
            assert!(has("401"), "{name} lacks 401");
            assert_eq!(
                operation["security"],
                json!([{"bearer": []}, {"session": []}]),
                "{name} is not behind the operators' schemes"
            );
        } else if !path.ends_with("/session") {
            assert!(
                operation["security"].is_null(),
                "{name} asks for credentials"
            );
        }
        for (status, response) in responses {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let schema = &response["content"]["application/problem+json"]["schema"]["allOf"];
            assert_eq!(
                schema[0]["$ref"], "#/components/schemas/Problem",
                "{name} {status}"
            );
            let narrowed = &schema[1]["properties"];
            assert_eq!(
                narrowed["status"]["enum"],
                json!([status.parse::<u16>().unwrap_or(0)])
            );
            for kind in narrowed["type"]["enum"].as_array().expect("types") {
                let uri = kind.as_str().unwrap_or_default();
                assert!(known.contains(uri), "{name} {status}: {uri}");
                let kind = ProblemKind::from_type_uri(uri).expect("kind");
                assert_eq!(kind.status().to_string(), *status, "{name}: {uri}");
            }
        }
        if has("429") {
            assert!(
                responses["429"]["headers"]["Retry-After"].is_object(),
                "{name}"
            );
        }
    }
}

/// A property's schema in a component.
fn property<'a>(doc: &'a Value, schema: &str, field: &str) -> &'a Value {
    let found = &doc["components"]["schemas"][schema]["properties"][field];
    assert!(found.is_object(), "no {schema}.{field}");
    found
}

/// A parameter's schema in an operation.
fn parameter<'a>(doc: &'a Value, method: &str, path: &str, name: &str) -> &'a Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .map(|p| &p["schema"])
        .unwrap_or_else(|| panic!("no parameter {name} on {method} {path}"))
}

#[test]
fn documented_ranges_and_lengths_are_the_ones_validation_uses() {
    let doc: Value = serde_json::from_str(omk_server::openapi::json()).expect("document");
    let range = |schema: &Value| (schema["minimum"].as_i64(), schema["maximum"].as_i64());
    let max_page = Some(i64::from(numbers::MAX_PAGE));
    for (path, most) in [
        ("/api/v1/events", EventQuery::MAX_PER_PAGE),
        ("/api/v1/admin/issues", InboxQuery::MAX_PER_PAGE),
        ("/api/v1/admin/audit", AuditQuery::MAX_PER_PAGE),
    ] {
        let per_page = parameter(&doc, "get", path, "per_page");
        assert_eq!(range(per_page), (Some(1), Some(i64::from(most))), "{path}");
        assert_eq!(
            range(parameter(&doc, "get", path, "page")),
            (Some(1), max_page)
        );
    }
    assert_eq!(
        range(property(&doc, "NewRegistration", "seats")),
        (Some(1), Some(i64::from(NewRegistration::MAX_SEATS)))
    );
    assert_eq!(
        range(property(&doc, "EventInput", "capacity")),
        (Some(0), Some(EventInput::CAPACITY_MAX))
    );
    assert_eq!(
        range(property(&doc, "EventInput", "starts_at")),
        (Some(-numbers::MAX_EXACT), Some(numbers::MAX_EXACT))
    );
    assert_eq!(
        property(&doc, "EventInput", "summary")["maxLength"].as_u64(),
        Some(EventInput::SUMMARY_MAX as u64)
    );
    for schema in ["CategoryInput", "EntryInput", "TopicInput"] {
        assert_eq!(
            range(property(&doc, schema, "position")),
            (Some(0), Some(CategoryInput::POSITION_MAX)),
            "{schema}"
        );
    }
    let password = property(&doc, "OperatorInput", "password");
    assert_eq!(
        (
            password["minLength"].as_u64(),
            password["maxLength"].as_u64()
        ),
        (
            Some(OperatorInput::PASSWORD_MIN as u64),
            Some(OperatorInput::PASSWORD_MAX as u64)
        )
    );
    assert_eq!(
        property(&doc, "SignIn", "password")["maxLength"].as_u64(),
        Some(SignIn::PASSWORD_MAX as u64)
    );
    assert_eq!(
        property(&doc, "NewRating", "tags")["maxItems"].as_u64(),
        Some(omk_api::ratings::TAGS_MAX as u64)
    );
    assert_eq!(
        parameter(&doc, "put", "/api/v1/admin/topics/{id}", "id")["pattern"],
        patterns::SLUG
    );
    assert_eq!(
        parameter(&doc, "put", "/api/v1/admin/{list}/{id}", "id")["pattern"],
        patterns::SLUG
    );
    assert_eq!(
        parameter(&doc, "put", "/api/v1/admin/operators/{login}", "login")["pattern"],
        patterns::LOGIN
    );
    assert_eq!(
        parameter(&doc, "post", "/api/v1/issues", "Idempotency-Key")["pattern"],
        patterns::UUID
    );
    let lists = &doc["components"]["schemas"]["List"]["enum"];
    assert_eq!(*lists, json!(["units", "districts", "rating-tags"]));
}

/// The component schemas `schema` names, itself and every one it refers to, however deep.
fn reachable(doc: &Value, schema: &Value, found: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                && found.insert(name.to_owned())
            {
                reachable(doc, &doc["components"]["schemas"][name], found);
            }
            for value in map.values() {
                reachable(doc, value, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| reachable(doc, v, found)),
        _ => {}
    }
}

/// Every whole number a request body may carry states its range, within ±(2^53 − 1): the
/// server refuses a body number beyond it, so a number the document allowed would be a
/// valid request refused.
#[test]
fn every_whole_number_in_a_request_body_states_its_range() {
    let doc: Value = serde_json::from_str(omk_server::openapi::json()).expect("document");
    let mut schemas = BTreeSet::new();
    for (_, _, operation) in operations(&doc) {
        reachable(&doc, &operation["requestBody"], &mut schemas);
    }
    assert!(schemas.contains("MeetingInput"), "{schemas:?}");
    let mut unbounded = Vec::new();
    for name in &schemas {
        let properties = doc["components"]["schemas"][name]["properties"].as_object();
        for (field, schema) in properties.into_iter().flatten() {
            let integer = schema["type"] == "integer"
                || schema["type"]
                    .as_array()
                    .is_some_and(|t| t.contains(&json!("integer")));
            if !integer {
                continue;
            }
            let within = |bound: &str| {
                schema[bound]
                    .as_i64()
                    .is_some_and(|b| (-numbers::MAX_EXACT..=numbers::MAX_EXACT).contains(&b))
            };
            if !(within("minimum") && within("maximum")) {
                unbounded.push(format!("{name}.{field}: {schema}"));
            }
        }
    }
    assert!(unbounded.is_empty(), "unbounded: {unbounded:#?}");
}

/// Texts around every edge: white space of every kind (and look-alikes that are not), at
/// lengths about each bound, phone-like digits.
fn texts() -> Vec<String> {
    let pads = [
        "", " ", "\t\n", "\u{3000}", "\u{a0}", "\u{85}", "\u{200b}", "\u{1f}",
    ];
    let mut texts = vec![
        "13800138000".to_owned(),
        "0635-8888888".to_owned(),
        "138-0013-8000".to_owned(),
    ];
    for length in [
        0usize, 1, 4, 5, 6, 40, 41, 50, 51, 80, 81, 200, 201, 2000, 2001,
    ] {
        for fill in ["a", "停", "a b"] {
            let body: String = fill.chars().cycle().take(length).collect();
            for pad in pads {
                texts.push(format!("{pad}{body}{pad}"));
            }
        }
    }
    texts
}

/// Whether a documented pattern takes exactly the texts `valid` takes.
fn agrees(doc: &Value, schema: &str, field: &str, valid: impl Fn(&str) -> bool) {
    let pattern = property(doc, schema, field)["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("{schema}.{field} has no pattern"));
    let pattern = Regex::new(pattern).expect("a pattern the regex crate reads");
    for text in texts() {
        assert_eq!(
            pattern.is_match(&text),
            valid(&text),
            "{schema}.{field}: {text:?}"
        );
    }
}

#[test]
fn documented_text_patterns_take_what_validation_takes() {
    let doc: Value = serde_json::from_str(omk_server::openapi::json()).expect("document");
    let issue = NewIssue {
        category: "parking".into(),
        description: "违章停车严重".into(),
        place: "柳园街道".into(),
        consent: true,
        ..NewIssue::default()
    };
    let issue_ok = |change: &dyn Fn(&mut NewIssue), field: &str| {
        let mut changed = issue.clone();
        change(&mut changed);
        !changed
            .validate()
            .err()
            .unwrap_or_default()
            .iter()
            .any(|e| e.field == field)
    };
    agrees(&doc, "NewIssue", "category", |t| {
        issue_ok(&|i| i.category = t.into(), "category")
    });
    agrees(&doc, "NewIssue", "description", |t| {
        issue_ok(&|i| i.description = t.into(), "description")
    });
    agrees(&doc, "NewIssue", "place", |t| {
        issue_ok(&|i| i.place = t.into(), "place")
    });
    agrees(&doc, "NewIssue", "name", |t| {
        issue_ok(&|i| i.name = Some(t.into()), "name")
    });
    agrees(&doc, "NewIssue", "phone", |t| {
        issue_ok(&|i| i.phone = Some(t.into()), "phone")
    });
    agrees(&doc, "NewIssue", "website", |t| {
        let mut filled = issue.clone();
        filled.website = Some(t.into());
        filled.normalized().website.is_none()
    });
    let event = EventInput {
        title: "开放日".into(),
        unit: "局".into(),
        district: "区".into(),
        theme: "走进机关".into(),
        place: "大厅".into(),
        starts_at: 0,
        ends_at: 1,
        capacity: 10,
        registration: true,
        summary: String::new(),
    };
    for field in ["title", "unit", "district", "theme", "place"] {
        agrees(&doc, "EventInput", field, |t| {
            let mut changed = event.clone();
            match field {
                "title" => changed.title = t.into(),
                "unit" => changed.unit = t.into(),
                "district" => changed.district = t.into(),
                "theme" => changed.theme = t.into(),
                _ => changed.place = t.into(),
            }
            changed.check().is_ok()
        });
    }
    let category = CategoryInput {
        name_zh: "停车难".into(),
        name_en: "Parking".into(),
        position: 0,
        active: true,
        unit: None,
    };
    agrees(&doc, "CategoryInput", "name_zh", |t| {
        CategoryInput {
            name_zh: t.into(),
            ..category.clone()
        }
        .validate()
        .is_ok()
    });
    agrees(&doc, "EntryInput", "name_en", |t| {
        CategoryInput {
            name_en: t.into(),
            ..category.clone()
        }
        .validate()
        .is_ok()
    });
    let topic = TopicInput {
        title_zh: "学校周边交通".into(),
        title_en: "Traffic".into(),
        position: 0,
        open: true,
    };
    agrees(&doc, "TopicInput", "title_en", |t| {
        TopicInput {
            title_en: t.into(),
            ..topic.clone()
        }
        .validate()
        .is_ok()
    });
    agrees(&doc, "SignIn", "login", |t| {
        let login = t.trim();
        !login.is_empty() && login.chars().count() <= SignIn::LOGIN_MAX
    });
}

async fn what_the_document_forbids_is_refused() {
    let app = TestApp::configured(|c| c.operators.admin_token = Some(ADMIN_TOKEN.into())).await;
    for query in [
        "/api/v1/events?per_page=65537",
        "/api/v1/events?per_page=101",
        "/api/v1/events?per_page=0",
        "/api/v1/events?page=0",
        "/api/v1/events?page=100001",
    ] {
        app.get(query).await.problem(400);
    }
    let page: Value = app.get("/api/v1/events?page=1&per_page=100").await.json();
    assert_eq!(page["per_page"], 100);
    for query in [
        "/api/v1/admin/issues?per_page=501",
        "/api/v1/admin/issues?page=0",
        "/api/v1/admin/audit?per_page=1001",
    ] {
        app.admin(Method::GET, query, None).await.problem(400);
    }
    let reply = app
        .admin(Method::GET, "/api/v1/admin/issues?per_page=500", None)
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    let topic = json!({"title_zh": "题", "title_en": "Topic", "position": 1e20});
    app.admin(Method::PUT, "/api/v1/admin/topics/probe", Some(&topic))
        .await
        .problem(400);
}

async fn whole_numbers_are_taken_in_any_notation() {
    let app = TestApp::configured(|c| c.operators.admin_token = Some(ADMIN_TOKEN.into())).await;
    let topic = json!({"title_zh": "题", "title_en": "Topic", "position": 3.0});
    let reply = app
        .admin(Method::PUT, "/api/v1/admin/topics/probe", Some(&topic))
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    let event = json!({
        "title": "开放日", "unit": "局", "district": "区", "theme": "走进机关",
        "place": "大厅", "starts_at": 4.1e9, "ends_at": 4100003600u64, "capacity": 2e1,
    });
    let reply = app
        .admin(Method::POST, "/api/v1/admin/events", Some(&event))
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let created: Value = reply.json();
    assert_eq!(created["capacity"], 20);
    let id = created["id"].as_i64().expect("id");
    let uri = format!("/api/v1/events/{id}/registrations");
    let reply = app.post_json(&uri, &json!({"seats": 2.0})).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    app.post_json(&uri, &json!({"seats": 2.5}))
        .await
        .problem(400);
    let far = json!({
        "title": "开放日", "unit": "局", "district": "区", "theme": "走进机关",
        "place": "大厅", "starts_at": 0, "ends_at": 9_007_199_254_740_992u64, "capacity": 1,
    });
    app.admin(Method::POST, "/api/v1/admin/events", Some(&far))
        .await
        .problem(400);
}

async fn openapi_document_lists_every_public_route_and_schema_with_metric_definitions() {
    let app = TestApp::seeded().await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in [
        "/api/v1/events",
        "/api/v1/events/{id}",
        "/api/v1/events/facets",
        "/api/v1/events/{id}/registrations",
        "/api/v1/categories",
        "/api/v1/issues",
        "/api/v1/issues/{tracking_no}",
        "/api/v1/ratings",
        "/api/v1/topics",
        "/api/v1/votes",
        "/api/v1/metrics",
        "/api/v1/metrics/stream",
        "/api/v1/events/{id}/qr.svg",
        "/api/v1/events/{id}/calendar.ics",
        "/api/v1/issues/{tracking_no}/qr.svg",
    ] {
        assert!(doc["paths"].get(path).is_some(), "missing {path}");
    }
    for schema in [
        "NewIssue",
        "IssueReceipt",
        "Metrics",
        "Problem",
        "EventPage",
        "StreamEvent",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "missing {schema}"
        );
    }
    let metrics = &doc["components"]["schemas"]["Metrics"]["properties"];
    for field in [
        "satisfaction_rate",
        "bad_review_rate",
        "response_rate",
        "resolution_rate",
        "issues_collected",
        "issues_solved",
        "ratings_total",
        "ratings_today",
        "ranking",
        "trend",
    ] {
        assert!(
            metrics[field]["description"]
                .as_str()
                .is_some_and(|d| d.len() > 20),
            "Metrics.{field} has no definition: {}",
            metrics[field]
        );
    }
    let post = &doc["paths"]["/api/v1/issues"]["post"];
    assert!(post["parameters"].as_array().is_some_and(|ps| {
        ps.iter()
            .any(|p| p["name"] == "Idempotency-Key" && p["required"] == true)
    }));
}

async fn openapi_document_lists_the_admin_routes_behind_the_bearer_scheme() {
    let app = TestApp::seeded().await;
    let doc = document(&app).await;
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for (path, method) in [
        ("/api/v1/admin/issues", "get"),
        ("/api/v1/admin/issues/{tracking_no}/status", "post"),
        ("/api/v1/admin/events", "post"),
        ("/api/v1/admin/events/import", "post"),
        ("/api/v1/admin/events/{id}", "put"),
        ("/api/v1/admin/events/{id}", "delete"),
        ("/api/v1/admin/export/issues.csv", "get"),
        ("/api/v1/admin/export/ratings.csv", "get"),
    ] {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "missing {method} {path}");
        assert_eq!(
            operation["security"][0]["bearer"],
            serde_json::json!([]),
            "{method} {path} is not behind the bearer scheme"
        );
    }
    assert!(doc["paths"]["/api/v1/events"]["get"]["security"].is_null());
}

crate::on_every_backend!(
    openapi_document_lists_every_public_route_and_schema_with_metric_definitions,
    openapi_document_lists_the_admin_routes_behind_the_bearer_scheme,
    every_documented_operation_reaches_its_handler,
    what_the_document_forbids_is_refused,
    whole_numbers_are_taken_in_any_notation,
);
