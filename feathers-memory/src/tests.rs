//! Unit tests of the memory service, called directly (the conformance suite in
//! `tests/adapter.rs` calls it through the pipeline).

use serde_json::{json, Value};

use crate::{AdapterBuilder, AdapterExt, MemoryService};
use feathers_core::Id;
use feathers_core::Params;
use feathers_core::Result;

fn query(value: Value) -> Params {
    Params::from_query_value(value)
}

fn url_query(value: Value) -> Params {
    Params {
        query_from_url: true,
        ..Params::from_query_value(value)
    }
}

#[tokio::test]
async fn ids_come_from_the_counter_and_keep_their_json_type() -> Result<()> {
    let service = MemoryService::new().start_id(5);
    let params = Params::default();
    let counted = service.create(json!({"text": "a"}), &params).await?;
    assert_eq!(counted, json!({"text": "a", "id": 5}));
    let falsy = service
        .create(json!({"id": 0, "text": "b"}), &params)
        .await?;
    assert_eq!(falsy, json!({"id": 6, "text": "b"}));
    let named = service
        .create(json!({"id": "abc", "text": "c"}), &params)
        .await?;
    assert_eq!(named["id"], json!("abc"));
    let numeric_string = service.create(json!({"id": "10"}), &params).await?;
    assert_eq!(numeric_string["id"], json!("10"));
    assert_eq!(service.get(10, &params).await?["id"], json!("10"));
    assert_eq!(service.get("5", &params).await?["id"], json!(5));
    // Updating through the other form keeps the stored form.
    let updated = service.update("5", json!({"text": "z"}), &params).await?;
    assert_eq!(updated, json!({"text": "z", "id": 5}));
    Ok(())
}

#[tokio::test]
async fn the_counter_never_overwrites_a_record() -> Result<()> {
    let service = MemoryService::new().with_records([json!({"id": 1, "name": "explicit"})])?;
    let params = Params::default();
    let first = service.create(json!({"name": "a"}), &params).await?;
    let second = service.create(json!({"name": "b"}), &params).await?;
    assert_eq!(
        (first["id"].clone(), second["id"].clone()),
        (json!(0), json!(2))
    );
    assert_eq!(service.get(1, &params).await?["name"], json!("explicit"));
    Ok(())
}

#[tokio::test]
async fn bad_input_is_a_400_and_changes_nothing() -> Result<()> {
    let service = MemoryService::new().multi(true).with_records([
        json!({"name": "a", "age": 1}),
        json!({"name": "b", "age": 2}),
    ])?;
    let before = service.records();
    let params = Params::default();
    let attempts: Vec<(&str, Result<Value>)> = vec![
        (
            "create array with a bad id",
            service
                .create(json!([{"name": "c"}, {"id": {"x": 1}}]), &params)
                .await,
        ),
        (
            "create boolean id",
            service.create(json!({"id": true}), &params).await,
        ),
        (
            "create float id",
            service.create(json!({"id": 1.5}), &params).await,
        ),
        (
            "create a string",
            service.create(json!("text"), &params).await,
        ),
        (
            "create $ key",
            service.create(json!({"$set": {"a": 1}}), &params).await,
        ),
        (
            "patch $ key",
            service
                .patch(None, json!({"$inc": {"age": 1}}), &params)
                .await,
        ),
        (
            "patch null data",
            service.patch(Some(Id::Int(0)), Value::Null, &params).await,
        ),
        (
            "update array",
            service.update(0, json!([{"name": "x"}]), &params).await,
        ),
        (
            "update $ key",
            service.update(0, json!({"$set": 1}), &params).await,
        ),
        (
            "patch bad limit",
            service
                .patch(None, json!({"age": 9}), &query(json!({"$limit": -5})))
                .await,
        ),
        (
            "remove bad skip",
            service
                .remove(None, &url_query(json!({"$skip": "abc"})))
                .await,
        ),
        (
            "remove bad select",
            service
                .remove(None, &query(json!({"$select": "name"})))
                .await,
        ),
        (
            "remove bad operator",
            service
                .remove(None, &query(json!({"age": {"$foo": 1}})))
                .await,
        ),
        (
            "patch bad or",
            service
                .patch(None, json!({"age": 9}), &query(json!({"$or": "x"})))
                .await,
        ),
    ];
    for (what, outcome) in attempts {
        assert_eq!(outcome.err().map(|e| e.code()), Some(400), "{what}");
    }
    assert_eq!(service.records(), before);
    Ok(())
}

#[tokio::test]
async fn multi_errors_are_feathers_errors() -> Result<()> {
    let service = MemoryService::new().multi(["create"]);
    let params = Params::default();
    let created = service.create(json!([{"a": 1}, {"a": 2}]), &params).await?;
    assert_eq!(created, json!([{"a": 1, "id": 0}, {"a": 2, "id": 1}]));
    let patch = service.patch(None, json!({"a": 3}), &params).await.err();
    assert_eq!(
        patch.map(|e| (e.code(), e.message().to_owned())),
        Some((405, "Can not patch multiple entries".into()))
    );
    let remove = service.remove(None, &params).await.err();
    assert_eq!(
        remove.map(|e| (e.code(), e.message().to_owned())),
        Some((405, "Can not remove multiple entries".into()))
    );
    let single = MemoryService::new();
    let create = single.create(json!([]), &params).await.err();
    assert_eq!(
        create.map(|e| (e.code(), e.message().to_owned())),
        Some((405, "Can not create multiple entries".into()))
    );
    Ok(())
}

#[tokio::test]
async fn patch_and_remove_without_id_ignore_limit_and_pagination() -> Result<()> {
    let records: Vec<Value> = (0..30)
        .map(|i| json!({"n": i, "even": i % 2 == 0}))
        .collect();
    let service = MemoryService::new()
        .paginate(5, 10)
        .multi(true)
        .with_records(records)?;
    let patched = service
        .patch(
            None,
            json!({"seen": true, "id": 999}),
            &query(json!({"even": true, "$limit": 2})),
        )
        .await?;
    assert_eq!(patched.as_array().map(Vec::len), Some(15));
    assert!(patched
        .as_array()
        .into_iter()
        .flatten()
        .all(|r| r["seen"] == json!(true) && r["id"] != json!(999)));
    let removed = service
        .remove(None, &url_query(json!({"even": "false", "$select": ["n"]})))
        .await?;
    assert_eq!(removed.as_array().map(Vec::len), Some(15));
    assert_eq!(removed[0], json!({"n": 1, "id": 1}));
    let page = service.find(&Params::default()).await?;
    assert_eq!(
        (page["total"].clone(), page["limit"].clone()),
        (json!(15), json!(5))
    );
    Ok(())
}

#[tokio::test]
async fn clones_share_records_and_concurrent_creates_get_distinct_ids() -> Result<()> {
    let service = MemoryService::new();
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let service = service.clone();
            tokio::spawn(async move { service.create(json!({"i": i}), &Params::default()).await })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        let created = task
            .await
            .map_err(|e| feathers_core::Error::general(e.to_string()))??;
        ids.push(created["id"].as_i64().unwrap_or(-1));
    }
    ids.sort_unstable();
    assert_eq!(ids, (0..64).collect::<Vec<i64>>());
    assert_eq!(service.len(), 64);
    Ok(())
}

#[tokio::test]
async fn with_records_rejects_what_it_can_not_store() {
    let outcome = MemoryService::new().with_records([json!({"id": 1}), json!([1])]);
    assert_eq!(outcome.err().map(|e| e.code()), Some(400));
}

#[tokio::test]
async fn a_custom_id_field_is_used_everywhere() -> Result<()> {
    let service = MemoryService::new().id_field("_id").with_records([
        json!({"name": "a"}),
        json!({"_id": "x", "name": "b", "id": 7}),
    ])?;
    let params = Params::default();
    assert_eq!(service.get("x", &params).await?["id"], json!(7));
    let selected = service.get(0, &query(json!({"$select": ["name"]}))).await?;
    assert_eq!(selected, json!({"name": "a", "_id": 0}));
    let patched = service
        .patch(Some(Id::from("x")), json!({"_id": "y", "id": 8}), &params)
        .await?;
    assert_eq!(patched, json!({"_id": "x", "name": "b", "id": 8}));
    Ok(())
}
