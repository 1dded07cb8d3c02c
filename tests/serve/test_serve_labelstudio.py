"""The Label Studio ML backend, with the request bodies Label Studio sends (as its ML-backend SDK documents them)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import make_client

from classifier.serve.labelstudio import choices_target, labelling_config, unit_scores

OUR_CONFIG = labelling_config()
# What Label Studio 1.x sends: a project id with a timestamp, the config, and tasks as stored in its database.
SETUP = {"project": "3.1733480000", "schema": OUR_CONFIG, "hostname": "http://localhost:8080",
         "access_token": "abc123", "model_version": None, "extra_params": None}


def predict_body(tasks, config=OUR_CONFIG):
    return {"tasks": tasks, "model_version": None, "project": "3.1733480000", "label_config": config,
            "params": {"login": None, "password": None, "context": None}}


def task(task_id, text, **data):
    return {"id": task_id, "data": {"text": text, **data}, "meta": {}, "created_at": "2026-12-06T05:00:00.000000Z",
            "updated_at": "2026-12-06T05:00:00.000000Z", "is_labeled": False, "overlap": 1, "inner_id": task_id,
            "total_annotations": 0, "cancelled_annotations": 0, "total_predictions": 0, "comment_count": 0,
            "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 3, "updated_by": None,
            "file_upload": None, "comment_authors": [], "annotations": [], "predictions": []}


def test_the_labelling_config_is_a_single_choice_over_the_six_labels_of_a_text():
    root = ET.fromstring(OUR_CONFIG)
    choices = root.find("Choices")
    assert choices.get("choice") == "single" and choices.get("toName") == root.find("Text").get("name")
    target = choices_target(OUR_CONFIG)
    assert set(target.choices) == {"publicity", "enforcement", "business_environment", "shortcoming", "plan", "other"}
    assert (target.from_name, target.to_name, target.data_key) == ("label", "text", "text")


def test_health_and_setup(client, small_model):
    health = client.get("/labelstudio/health").json()
    assert health["status"] == "UP" and health["model_version"] == client.get("/v1/model").json()["version"]
    assert client.post("/labelstudio/setup", json=SETUP).json() == {"model_version": health["model_version"]}


def test_setup_refuses_a_config_it_cannot_serve(client):
    response = client.post("/labelstudio/setup", json={**SETUP, "schema": "<View><Text name='t' value='$t'/>"})
    assert response.status_code == 400 and "not valid XML" in response.json()["error"]["message"]
    foreign = ("<View><Text name='t' value='$t'/><Choices name='c' toName='t'>"
               "<Choice value='Positive'/><Choice value='Negative'/></Choices></View>")
    response = client.post("/labelstudio/setup", json={**SETUP, "schema": foreign})
    assert response.status_code == 400 and "none of its choices" in response.json()["error"]["message"]


def test_predict_gives_one_choices_prediction_per_task(client, small_model):
    texts = ["下一步，将深入开展民法典宣传。", "开展行政执法案卷评查，抽查案卷三十卷。", "部分执法人员的法律素养有待提高。"]
    body = client.post("/labelstudio/predict", json=predict_body([task(k + 1, t) for k, t in enumerate(texts)])).json()
    assert body["model_version"] == client.get("/v1/model").json()["version"]
    assert len(body["results"]) == 3
    for prediction, text, label, scores in zip(body["results"], texts, small_model.predict(texts),
                                               small_model.predict_proba(texts)):
        assert prediction["model_version"] == body["model_version"] and prediction["score"] == scores[label]
        assert prediction["result"] == [{"from_name": "label", "to_name": "text", "type": "choices",
                                         "value": {"choices": [label]}}]


def test_a_task_with_its_heading_is_read_in_its_section(client, small_model):
    text, heading = "持续推进严格规范公正文明执法。", "三、下一步工作计划"
    body = client.post("/labelstudio/predict", json=predict_body([task(1, text, heading=heading)])).json()
    in_context = small_model.classify_report(f"{heading}\n{text}")[1]
    assert body["results"][0]["score"] == in_context.confidence
    assert body["results"][0]["result"][0]["value"]["choices"] == [in_context.label]
    assert unit_scores(small_model, text, heading) == in_context.scores


def test_predict_follows_the_projects_own_names_and_choices(client, small_model):
    config = ("<View><Header value='$heading'/><Text name='sentence' value='$content'/>"
              "<Choices name='category' toName='sentence'><Choice value='plan'/><Choice value='shortcoming'/>"
              "</Choices></View>")
    text = "开展行政执法案卷评查，抽查案卷三十卷。"  # the model's label (enforcement) is not offered
    result = client.post("/labelstudio/predict", json=predict_body([{"id": 7, "data": {"content": text}}], config))
    prediction = result.json()["results"][0]
    scores = small_model.predict_proba(text)
    expected = max(("plan", "shortcoming"), key=scores.get)
    assert prediction["result"][0]["from_name"] == "category" and prediction["result"][0]["to_name"] == "sentence"
    assert prediction["result"][0]["value"]["choices"] == [expected] and prediction["score"] == scores[expected]


def test_predict_without_a_config_uses_ours_and_a_task_without_text_is_an_error(client):
    body = client.post("/labelstudio/predict", json={"tasks": [task(1, "开展普法宣传。")]}).json()
    assert body["results"][0]["result"][0]["from_name"] == "label"
    response = client.post("/labelstudio/predict", json=predict_body([{"id": 1, "data": {"image": "x.png"}}]))
    assert response.status_code == 400 and response.json()["error"]["message"] == "tasks[0]: no text in data.text"


def test_an_empty_task_list_gets_no_results(small_model):
    with make_client(small_model) as c:
        assert c.post("/labelstudio/predict", json=predict_body([])).json()["results"] == []


def test_project_events_are_acknowledged(client):
    response = client.post("/labelstudio/webhook", json={"action": "ANNOTATION_CREATED", "project": {"id": 3}})
    assert response.status_code == 200 and response.json() == {"status": "ignored", "action": "ANNOTATION_CREATED"}
