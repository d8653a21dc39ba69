"""Fakes of the network services openness talks to, as real HTTP servers on 127.0.0.1.

- `hub.FakeHub`: the Hugging Face Hub, for the real `huggingface_hub` client;
- `github.FakeGitHub`: the GitHub REST API (repository, license, trees, contents, rate limit);
- `server.FakeServer`: what both share (ranges, request log and counters, `Fault` injection);
- `content`: bodies, including virtual safetensors files of any size that are never stored;
- `fixtures`: the `fake_hub`, `releases_hub` and `fake_github` pytest fixtures.

Each module's docstring says how to use it; `test_fake_hub.py` and `test_fake_github.py` show it.
"""
