//! The OpenAPI document describes every public route and the wire types.

use serde_json::Value;

use crate::support::TestApp;

async fn openapi_document_lists_every_public_route_and_schema() {
    let app = TestApp::seeded().await;
    let reply = app.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status.as_u16(), 200);
    let doc: Value = reply.json();
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
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "missing {schema}"
        );
    }
    let post = &doc["paths"]["/api/v1/issues"]["post"];
    assert!(
        post["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"))
    );
}

crate::on_every_backend!(openapi_document_lists_every_public_route_and_schema,);
