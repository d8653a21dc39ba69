"""Auditing a model on the Hub: pinned to a commit, without its weights, as well as a local folder.

Every test talks to the fake Hub (and fake GitHub) of tests/fakes on 127.0.0.1 through the real
``huggingface_hub`` client stack.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from openness.audit import Auditor
from openness.render.terminal import render_terminal
from openness.report import Report
from openness.sources.hub import HubSource
from openness.sources.hub_client import HubClient, HubGated, HubNotFound, HubUnreachable
from openness.sources.hub_target import parse_hub_target
from openness.sources.interface import SourceError
from tests.fakes.content import llm_tensors, virtual_safetensors
from tests.fakes.github import FakeGitHub
from tests.fakes.hub import FakeHub
from tests.fakes.server import Fault, json_reply

RELEASES = Path(__file__).parent.parent / "fixtures" / "releases"
APACHE_CARD = "---\nlicense: apache-2.0\n---\n# A model\n\nA small model card with enough words to count as one.\n"


def fine_tune(hub: FakeHub, repo_id: str, license_id: str, base: str | None = None, **files: str) -> Any:
    """Publish a small release: a card with ``license_id`` (and ``base_model: base``) and tiny weights."""
    front = f"license: {license_id}\n" + (f"base_model: {base}\n" if base else "")
    card = f"---\n{front}---\n# {repo_id}\n\nA small model" + (f" built on {base}" if base else "") + ".\n"
    return hub.add_model(repo_id, files={"README.md": card, "model.safetensors": TINY_WEIGHTS, **files})


TINY_WEIGHTS = virtual_safetensors(llm_tensors(10**6, layers=1, hidden=64))


def hub_source(hub: FakeHub, target: str, cache: Path, **options: Any) -> HubSource:
    client = options.pop("client", None) or HubClient(hub.endpoint, token=options.pop("token", None),
                                                      sleep=lambda _s: None)
    return HubSource(parse_hub_target(target), client=client, cache_root=cache, **options)


def audit(hub: FakeHub, target: str, cache: Path, **options: Any) -> Report:
    return Auditor().audit(hub_source(hub, target, cache, **options))


def verdict(report: Report) -> tuple[Any, ...]:
    """What must not differ between a Hub audit and a local audit of the same files."""
    data = report.to_dict()
    osaid = data["verdicts"]["osaid-1.0"]
    return (
        osaid["status"], osaid["label"], osaid["would_pass_if_relicensed"], data["verdicts"]["mof"]["class"],
        sorted((c["id"], c["status"]) for c in osaid["criteria"]),
        sorted((k, v["status"], v["license"]["id"]) for k, v in data["components"].items()),
        data["terms"]["id"], data["terms"]["class"],
        sorted(f["kind"] for f in data["findings"] if not f["message"].endswith("could not be read: "
                                                                             "not on the Hub")),
    )


# --- the same verdict as the local folder ---------------------------------------------------------


@pytest.mark.parametrize("release", sorted(p.name for p in RELEASES.iterdir() if p.is_dir()))
def test_a_hub_audit_gives_the_verdict_of_the_local_folder(releases_hub: FakeHub, tmp_path: Path,
                                                           release: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENNESS_GITHUB_API", "http://127.0.0.1:9")  # nothing listens: links stay declared
    monkeypatch.setenv("OPENNESS_ARXIV_API", "http://127.0.0.1:9")
    local = Auditor().audit_target(str(RELEASES / release))
    remote = audit(releases_hub, f"fixtures/{release}", tmp_path)
    base_findings = [f for f in remote.findings if "could not be read" in f.message]
    assert all(f.kind == "lineage" for f in base_findings)  # bases named by the fixtures are not on this Hub
    remote_kinds = sorted(f.kind for f in remote.findings if f not in base_findings)
    assert verdict(local)[:-1] == verdict(remote)[:-1]
    assert sorted(f.kind for f in local.findings) == remote_kinds


def test_the_revision_is_resolved_to_a_commit_and_reported(fake_hub: FakeHub, tmp_path: Path) -> None:
    repo = fake_hub.add_model("acme/model", RELEASES / "olmo-like",
                              revisions={"v0.1": RELEASES / "mixtral-like"}, tags={"v0.1"})
    latest = audit(fake_hub, "acme/model", tmp_path)
    tagged = audit(fake_hub, "acme/model@v0.1", tmp_path)
    assert latest.subject.kind == "hub" and latest.subject.id == "acme/model"
    assert latest.subject.revision == repo.sha("main")
    assert tagged.subject.revision == repo.sha("v0.1") != repo.sha("main")
    assert (latest.osaid.label, tagged.osaid.label) == ("open-source-ai", "open-weights")


# --- weights are never downloaded; a second audit makes no request ----------------------------------


def test_a_400_billion_parameter_repository_costs_under_2_mb(fake_hub: FakeHub, tmp_path: Path) -> None:
    shards = {f"model-{i:05d}-of-00100.safetensors": virtual_safetensors(llm_tensors(4 * 10**9, layers=2))
              for i in range(1, 101)}
    fake_hub.add_model("acme/huge", RELEASES / "olmo-like", files={"model.safetensors": b"", **shards})
    fake_hub.reset()
    report = audit(fake_hub, "acme/huge", tmp_path)
    weights = report.components
    assert fake_hub.bytes_sent < 2 * 1024 * 1024
    assert not any(r.path.endswith(".safetensors") and r.method == "GET" and r.status == 200
                   for r in fake_hub.log)  # every weight read was a range (206)
    final = next(c for c in weights if c.component.value == "model-parameters-final")
    assert final.status == "present"


def test_a_second_audit_at_the_same_revision_makes_no_request(releases_hub: FakeHub, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENNESS_GITHUB_API", releases_hub.endpoint + "/no-github")
    monkeypatch.setenv("OPENNESS_ARXIV_API", releases_hub.endpoint + "/no-arxiv")
    first = audit(releases_hub, "fixtures/pythia-like", tmp_path)
    sha = first.subject.revision
    releases_hub.reset()
    again = audit(releases_hub, "fixtures/pythia-like", tmp_path)
    pinned = audit(releases_hub, f"fixtures/pythia-like@{sha}", tmp_path)
    assert releases_hub.requests == 0
    assert again.to_dict() == first.to_dict() == pinned.to_dict()


def test_offline_audits_come_from_the_cache_or_say_why_not(releases_hub: FakeHub, tmp_path: Path) -> None:
    online = audit(releases_hub, "fixtures/bloom-like", tmp_path)
    releases_hub.reset()
    offline = audit(releases_hub, "fixtures/bloom-like", tmp_path, offline=True)
    assert releases_hub.requests == 0
    assert verdict(offline)[:-1] == verdict(online)[:-1]
    with pytest.raises(SourceError, match="not in the cache") as raised:
        audit(releases_hub, "fixtures/t5-like", tmp_path, offline=True)
    assert raised.value.exit_code == 3


# --- lineage -----------------------------------------------------------------------------------------


def test_a_fine_tune_inherits_the_audited_terms_of_its_base_up_the_chain(fake_hub: FakeHub, tmp_path: Path) -> None:
    nc_text = ("Attribution-NonCommercial 4.0 International\n\n"
               "You may not use the material for commercial purposes.\n")
    base = fine_tune(fake_hub, "acme/base", "cc-by-nc-4.0", LICENSE=nc_text,
                     **{"config.json": '{"model_type": "llama", "architectures": ["LlamaForCausalLM"]}'})
    fine_tune(fake_hub, "acme/tuned", "apache-2.0", "acme/base", **{"config.json": '{"model_type": "llama"}'})
    fine_tune(fake_hub, "acme/tuned-again", "mit", "acme/tuned")
    report = audit(fake_hub, "acme/tuned-again", tmp_path)
    assert report.osaid.label == "restricted-weights"
    assert report.terms["class"] == "restricted"
    assert any(r["kind"] == "non-commercial" for r in report.terms["restrictions"])
    (parent,) = report.lineage
    assert parent["base_model"] == "acme/tuned" and parent["class"] == "restricted"
    (grandparent,) = parent["lineage"]
    assert grandparent["base_model"] == "acme/base" and grandparent["revision"] == base.sha()
    assert grandparent["license"] == "CC-BY-NC-4.0"
    console = Console(record=True, width=200, color_system=None)
    render_terminal(report, console)
    shown = console.export_text()
    assert f"\n    ← acme/base @ {base.sha()[:12]}: CC-BY-NC-4.0 (restricted)" in shown


def test_a_base_model_cycle_is_reported_not_followed(fake_hub: FakeHub, tmp_path: Path) -> None:
    for name, base in (("acme/a", "acme/b"), ("acme/b", "acme/a")):
        fine_tune(fake_hub, name, "apache-2.0", base)
    report = audit(fake_hub, "acme/a", tmp_path)
    assert any(f.kind == "lineage" and "cycle" in f.message for f in report.findings)
    assert report.osaid.status == "fail"


# --- linked resources ----------------------------------------------------------------------------


def test_linked_code_and_datasets_are_verified_when_their_services_answer(
        releases_hub: FakeHub, fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENNESS_GITHUB_API", fake_github.endpoint)
    monkeypatch.setenv("OPENNESS_ARXIV_API", "http://127.0.0.1:9")
    fake_github.add_repo("allenai/OLMo", files={"scripts/train.py": "print()", "olmo/model.py": "",
                                                "scripts/generate.py": ""}, license="Apache-2.0")
    fake_github.add_repo("allenai/OLMo-Eval", files={"evaluate.py": ""}, license="Apache-2.0")
    releases_hub.add_dataset("allenai/dolma", files={"README.md": _DATASET_CARD})
    report = audit(releases_hub, "fixtures/olmo-like", tmp_path)
    components = {c.component.value: c for c in report.components}
    training = components["training-code"]
    assert training.level is not None and training.level.value == "verified"
    assert training.license.id == "Apache-2.0"
    assert any("scripts/train.py" in line for line in training.evidence)
    data_card = components["data-card"]
    assert data_card.level is not None and data_card.level.value == "verified"
    assert data_card.license.id == "ODC-By-1.0"
    assert report.osaid.status == "pass"


def test_a_repository_github_does_not_know_stays_declared_and_says_so(
        releases_hub: FakeHub, fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENNESS_GITHUB_API", fake_github.endpoint)
    monkeypatch.setenv("OPENNESS_ARXIV_API", "http://127.0.0.1:9")
    report = audit(releases_hub, "fixtures/olmo-like", tmp_path)
    training = next(c for c in report.components if c.component.value == "training-code")
    assert training.level is not None and training.level.value == "declared"
    assert any("possibly a dead link" in line for line in training.evidence)


# --- gated repositories ----------------------------------------------------------------------------


def test_a_gated_repository_is_read_as_far_as_it_is_public(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add_model("meta-llama/Llama-3.1-8B", RELEASES / "llama31-like", gated="manual")
    without = audit(fake_hub, "meta-llama/Llama-3.1-8B", tmp_path / "a")
    assert without.osaid.label == "restricted-weights"
    assert any("gated" in f.message for f in without.findings)
    with_token = audit(fake_hub, "meta-llama/Llama-3.1-8B", tmp_path / "b", token=fake_hub.token)
    assert not any("gated" in f.message for f in with_token.findings)
    assert any(s.source == "LICENSE" and s.id == "LicenseRef-llama3.1" for s in with_token.licenses)


# --- faults -------------------------------------------------------------------------------------------


def test_server_errors_are_retried_then_reported_in_one_line(releases_hub: FakeHub, tmp_path: Path) -> None:
    releases_hub.inject(r"/api/models/fixtures/t5-like", Fault(status=500), times=2)
    assert audit(releases_hub, "fixtures/t5-like", tmp_path).osaid.status == "pass"
    releases_hub.inject(r"/api/models/fixtures/phi2-like", Fault(status=503))
    with pytest.raises(HubUnreachable, match="HTTP 503") as raised:
        audit(releases_hub, "fixtures/phi2-like", tmp_path)
    assert raised.value.exit_code == 3 and "\n" not in str(raised.value)


def test_rate_limits_are_honoured_with_retry_after(releases_hub: FakeHub, tmp_path: Path) -> None:
    waits: list[float] = []
    client = HubClient(releases_hub.endpoint, sleep=waits.append)
    releases_hub.inject(r"/resolve/.*/README\.md", Fault(status=429, retry_after=2), times=1)
    audit(releases_hub, "fixtures/amber-like", tmp_path, client=client)
    assert waits == [2.0]
    releases_hub.inject(r"/resolve/.*/README\.md", Fault(status=429, retry_after=3600))
    with pytest.raises(HubUnreachable, match="wait 3600 s"):
        audit(releases_hub, "fixtures/gemma-like", tmp_path, client=client)


def test_a_truncated_answer_is_an_error_not_a_short_file(releases_hub: FakeHub, tmp_path: Path) -> None:
    releases_hub.inject(r"/resolve/.*/LICENSE", Fault(truncate_at=100))
    with pytest.raises(HubUnreachable):
        audit(releases_hub, "fixtures/pythia-like", tmp_path)
    assert not list((tmp_path / "models" / "fixtures--pythia-like").glob("*/snapshot.json"))


def test_a_slow_server_times_out_instead_of_hanging(releases_hub: FakeHub, tmp_path: Path) -> None:
    releases_hub.inject(r"/api/models/", Fault(delay=3))
    client = HubClient(releases_hub.endpoint, timeout=0.3, retries=1, sleep=lambda _s: None)
    with pytest.raises(HubUnreachable, match="cannot reach"):
        audit(releases_hub, "fixtures/olmo-like", tmp_path, client=client)


def test_missing_repositories_and_revisions_are_named(releases_hub: FakeHub, tmp_path: Path) -> None:
    with pytest.raises(HubNotFound, match="no such repository"):
        audit(releases_hub, "nobody/nothing", tmp_path)
    with pytest.raises(HubNotFound, match="no revision 'v9'"):
        audit(releases_hub, "fixtures/olmo-like@v9", tmp_path)


def test_a_10_mb_card_is_cut_and_said_to_be(fake_hub: FakeHub, tmp_path: Path) -> None:
    card = APACHE_CARD + ("All work and no play makes a long model card. " * 230_000)
    fake_hub.add_model("acme/long-card", RELEASES / "olmo-like", files={"README.md": card})
    fake_hub.reset()
    report = audit(fake_hub, "acme/long-card", tmp_path)
    assert fake_hub.bytes_sent < 3 * 1024 * 1024
    assert any("only the beginning was read" in f.message for f in report.findings)


def test_a_license_link_outside_the_hub_is_declared_not_fetched(fake_hub: FakeHub, tmp_path: Path) -> None:
    card = ("---\nlicense: other\nlicense_name: acme-license\nlicense_link: https://acme.example/license\n---\n"
            "# Acme\n\nA model under the Acme license.\n")
    fake_hub.add_model("acme/linked-license", files={"README.md": card, "config.json": "{}"})
    report = audit(fake_hub, "acme/linked-license", tmp_path)
    assert all(not r.path.startswith("/license") for r in fake_hub.log)
    assert report.osaid.status == "fail"


def test_gated_is_an_evidence_error_only_for_metadata(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add_model("acme/private", RELEASES / "olmo-like", private=True)
    with pytest.raises(HubNotFound, match="set HF_TOKEN"):
        audit(fake_hub, "acme/private", tmp_path)
    assert issubclass(HubGated, SourceError)


# --- the command line ----------------------------------------------------------------------------------


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openness", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_the_command_audits_hub_ids_and_reports_errors_with_exit_codes(releases_hub: FakeHub, tmp_path: Path) -> None:
    env = {"OPENNESS_CACHE_DIR": str(tmp_path), "OPENNESS_GITHUB_API": "http://127.0.0.1:9",
           "OPENNESS_ARXIV_API": "http://127.0.0.1:9"}
    ok = run("audit", "fixtures/olmo-like", "--format", "json", env=env)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["subject"]["kind"] == "hub"
    assert run("check", "fixtures/llama31-like", env=env).returncode == 1
    missing = run("audit", "nobody/nothing", env=env)
    assert missing.returncode == 3 and missing.stderr.count("\n") == 1 and "no such repository" in missing.stderr
    malformed = run("audit", "bad--id/x..y", env=env)
    assert malformed.returncode == 2 and "not a Hub repository id" in malformed.stderr
    manifest = run("manifest", "fixtures/olmo-like", env=env)
    assert manifest.returncode == 0 and "Model Openness Framework" in manifest.stdout
    offline = run("audit", "fixtures/olmo-like", "--offline", env={**env, "HF_ENDPOINT": "http://127.0.0.1:9"})
    assert offline.returncode == 0, offline.stderr


_DATASET_CARD = """---
license: odc-by
---
# Dolma

## Dataset Creation

### Source Data

The corpus is sourced from Common Crawl web pages, The Stack code, Reddit conversations, Semantic Scholar papers,
Project Gutenberg books and Wikipedia, each listed with its origin and the snapshot dates that were used.

### Data Collection

Web pages were collected from twenty-four Common Crawl snapshots; code was gathered from permissively licensed
GitHub repositories; the collection process and its dates are given for each source in the datasheet.

### Processing

Documents went through language identification, quality filtering, content filtering for toxic text and personal
information, and deduplication at the URL, document and paragraph level, with the tools released in the toolkit.
"""


class _TerseHub(FakeHub):
    """A Hub that says less: no commit, file list or sizes in the repository information, and no ranges."""

    def _info(self, request: Any, repo: Any, revision: str) -> Any:
        reply = super()._info(request, repo, revision)
        info = json.loads(reply.body.read(0, reply.body.size))
        return json_reply(reply.status, {k: v for k, v in info.items() if k not in ("sha", "siblings")})

    def route(self, request: Any) -> Any:
        reply = super().route(request)
        reply.ranges = False
        if reply.status == 206:
            reply.status = 200
        return reply


def test_a_hub_that_says_less_still_gives_the_same_verdict(tmp_path: Path) -> None:
    with _TerseHub() as hub:
        hub.publish_folders(RELEASES)
        for release in ("olmo-like", "llama31-like", "gguf-quant"):
            remote = audit(hub, f"fixtures/{release}", tmp_path)
            local = Auditor().audit_target(str(RELEASES / release))
            assert remote.subject.revision == hub.repo(f"fixtures/{release}").sha()
            assert verdict(local)[:4] == verdict(remote)[:4]


def test_an_unwritable_cache_is_a_clear_error(releases_hub: FakeHub, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with pytest.raises(SourceError, match="cannot write the cache"):
        audit(releases_hub, "fixtures/olmo-like", blocked / "cache")


def test_every_format_renders_a_hub_report_with_its_lineage(fake_hub: FakeHub, tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from jsonschema import Draft202012Validator

    from openness.render import FORMATS, render_text
    from openness.render.schema import report_schema

    fake_hub.add_model("acme/base", RELEASES / "llama31-like")
    fine_tune(fake_hub, "acme/middle", "apache-2.0", "acme/base")
    fine_tune(fake_hub, "acme/tuned", "apache-2.0", "acme/middle")
    report = audit(fake_hub, "acme/tuned", tmp_path)
    assert report.osaid.label == "restricted-weights"
    rendered = {name: render_text(report, name) for name in FORMATS if name != "terminal"}
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(rendered["cyclonedx"]) is None
    model = json.loads(rendered["cyclonedx"])["metadata"]["component"]
    (middle,) = model["pedigree"]["ancestors"]
    (base,) = middle["pedigree"]["ancestors"]
    assert (middle["group"], middle["name"], base["name"]) == ("acme", "middle", "base")
    assert base["version"] == fake_hub.repo("acme/base").sha()
    assert not list(Draft202012Validator(report_schema()).iter_errors(json.loads(rendered["json"])))
    base_sha = fake_hub.repo("acme/base").sha()[:12]
    assert f"\n  - acme/base (base, at {base_sha}): " in rendered["markdown"]  # nested under acme/middle
    assert f'<li class="depth-1">↳ <strong>acme/base</strong> (base, at {base_sha})' in rendered["html"]


def test_a_damaged_snapshot_is_fetched_again(releases_hub: FakeHub, tmp_path: Path) -> None:
    first = audit(releases_hub, "fixtures/olmo-like", tmp_path)
    (snapshot,) = (tmp_path / "models" / "fixtures--olmo-like").glob("*/snapshot.json")
    snapshot.write_text(snapshot.read_text().replace('"weights"', '"weights-damaged"'))
    releases_hub.reset()
    again = audit(releases_hub, "fixtures/olmo-like", tmp_path)
    assert releases_hub.requests > 0
    assert verdict(again) == verdict(first)


def test_a_linked_service_that_hangs_costs_one_timeout_not_one_per_link(
        releases_hub: FakeHub, fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from openness.sources.http import HttpClient
    from openness.sources.linked import LinkFetcher

    monkeypatch.setenv("OPENNESS_GITHUB_API", fake_github.endpoint)
    monkeypatch.setenv("OPENNESS_ARXIV_API", fake_github.endpoint + "/arxiv")
    fake_github.inject(r"/", Fault(delay=3))
    client = HubClient(releases_hub.endpoint, sleep=lambda _s: None)
    links = LinkFetcher(client, web=HttpClient(timeout=0.5, retries=0))
    started = time.perf_counter()
    report = Auditor().audit(HubSource(parse_hub_target("fixtures/olmo-like"), client=client, cache_root=tmp_path,
                                       links=links))
    assert time.perf_counter() - started < 2.5
    training = next(c for c in report.components if c.component.value == "training-code")
    assert training.level is not None and training.level.value == "declared"
    assert report.osaid.status == "pass"  # the card's word stands, as in a local audit


def test_refresh_asks_the_hub_again_and_sees_a_moved_branch(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add_model("acme/model", RELEASES / "olmo-like")
    assert audit(fake_hub, "acme/model", tmp_path).osaid.label == "open-source-ai"
    fake_hub.add_model("acme/model", RELEASES / "llama31-like")  # main moves to another commit
    fake_hub.reset()
    assert audit(fake_hub, "acme/model", tmp_path).osaid.label == "open-source-ai"  # remembered branch
    assert fake_hub.requests == 0
    refreshed = audit(fake_hub, "acme/model", tmp_path, refresh=True)
    assert refreshed.osaid.label == "restricted-weights"
    assert refreshed.subject.revision == fake_hub.repo("acme/model").sha()


def test_a_gguf_header_with_a_large_vocabulary_is_read_up_to_its_budget(fake_hub: FakeHub, tmp_path: Path) -> None:
    import gguf
    import numpy as np

    path = tmp_path / "llama-3.1-8b-instruct.Q4_K_M.gguf"
    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_name("Llama 3.1 8B Instruct")
    writer.add_license("llama3.1")
    writer.add_context_length(131072)
    tokens = [f"token-{i:06d}-" + "x" * 12 for i in range(128_256)]  # about 3.5 MB of tokenizer strings
    writer.add_array("tokenizer.ggml.tokens", tokens)
    writer.add_tensor("token_embd.weight", np.ones((4, 8), np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    card = "---\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n# A quantisation\n\nGGUF files of Llama 3.1.\n"
    fake_hub.add_model("acme/Llama-3.1-8B-Instruct-GGUF", files={"README.md": card, path.name: path.read_bytes(),
                                                                 "copy.Q8_0.gguf": path.read_bytes()})
    fake_hub.reset()
    report = audit(fake_hub, "acme/Llama-3.1-8B-Instruct-GGUF", tmp_path / "cache")
    assert fake_hub.bytes_sent < 2.5 * 1024 * 1024  # one header read, cut at 2 MB; the other file listed
    assert report.osaid.label == "restricted-weights"
    general = [s for s in report.licenses if s.source.endswith(".gguf (general.license)")]
    assert [s.id for s in general] == ["LicenseRef-llama3.1"]
    final = next(c for c in report.components if c.component.value == "model-parameters-final")
    assert any("metadata read (the first 2,097,152 bytes read)" in line for line in final.evidence)
    assert not any("unreadable" in f.kind for f in report.findings)


class _NoLfsHub(FakeHub):
    """A Hub whose file list gives sizes but never says which files are in LFS."""

    def _info(self, request: Any, repo: Any, revision: str) -> Any:
        reply = super()._info(request, repo, revision)
        info = json.loads(reply.body.read(0, reply.body.size))
        for sibling in info.get("siblings") or ():
            sibling.pop("lfs", None)
        return json_reply(reply.status, info)


def test_raw_checkpoint_shards_count_as_weights_without_lfs_flags(tmp_path: Path) -> None:
    from tests.test_holdout_releases import EXPECTED, materialise

    with _NoLfsHub() as hub:
        hub.add_model("xai-org/grok-1", materialise("grok-1", tmp_path))
        report = audit(hub, "xai-org/grok-1", tmp_path / "cache")
    expected = EXPECTED["grok-1"]["osaid"]
    assert (report.osaid.status, report.osaid.label) == (expected["status"], expected["label"])
    final = next(c for c in report.components if c.component.value == "model-parameters-final")
    assert final.status == "present"
