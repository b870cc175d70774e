//! The OpenAPI document describes every public route and the wire types.

use serde_json::Value;

use crate::support::TestApp;

async fn openapi_document_lists_every_public_route_and_schema_with_metric_definitions() {
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
    assert!(
        post["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"))
    );
}

async fn openapi_document_lists_the_admin_routes_behind_the_bearer_scheme() {
    let app = TestApp::seeded().await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json();
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
);
