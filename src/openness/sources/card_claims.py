"""What a model card's prose claims about lineage and terms.

Besides its front matter, a card often says in words which model it was built from ("this
model is a fine-tuned version of [X]", a "Base Model" table column) and under which license
its weights are ("the model weights are licensed under the [llama3.1 license]"). These claims
count only when the sentence speaks of this release: "this model", or its name as a whole word.
"""

from __future__ import annotations

import re

from openness.evidence import CardLink, LicenseDeclaration, ModelCard, Provenance, Reference

_DERIVED = re.compile(
    r"fine-?tuned (version )?(of|from|on top of)|derived from|based on|distilled from|"
    r"quanti[sz]ed (version )?(of|from)|quanti[sz]ation of|merge of|adapter (for|on)|continued pre-?training of",
    re.IGNORECASE,
)
_SELF = re.compile(r"\b(this|the) (model|checkpoint|adapter|release)\b(?! cards?\b)|\bmodel weights\b", re.IGNORECASE)


def _normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def release_names(name: str, card: ModelCard | None) -> tuple[str, ...]:
    """Names the release goes by: its folder or repository name and the card's `model_name` or
    model-index name. (Card titles are not used: "DeepSeek-R1" titles the card of a distilled model.)"""
    names = [name]
    metadata = card.metadata if card else {}
    if isinstance(metadata.get("model_name"), str):
        names.append(metadata["model_name"])
    index = metadata.get("model-index")
    if isinstance(index, list) and index and isinstance(index[0], dict) and isinstance(index[0].get("name"), str):
        names.append(index[0]["name"])
    return tuple(n for n in (_normalised(name) for name in names) if len(n) >= 4)


def _hub_repo(url: str) -> str | None:
    found = re.match(r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/([\w.-]+/[\w.-]+)", url)
    return found.group(1) if found else None


def _mentions_self(sentence: str, names: tuple[str, ...]) -> bool:
    """True when a sentence speaks of this release: "this model", or its name as a whole word
    (so "DeepSeek-R1" does not match a row about "DeepSeek-R1-Distill-Qwen-7B")."""
    words = {_normalised(word) for word in re.split(r"[\s|,;:()\[\]*`]+", sentence)}
    return bool(_SELF.search(sentence)) or any(name in words for name in names)


def text_bases(links: tuple[CardLink, ...], names: tuple[str, ...]) -> list[Reference]:
    """Base models the card names in its text: a "Base Model" table column, or a sentence
    such as "this model is a fine-tuned version of [X]"."""
    bases = []
    for link in links:
        repo = _hub_repo(link.url)
        if link.kind != "model" or repo is None or _normalised(repo.split("/")[1]) in names:
            continue
        if re.search(r"model card", f"{link.text} {link.sentence}", re.IGNORECASE):
            continue  # "this card is based on X's model card" is about the text, not the weights
        in_column = bool(re.search(r"\bbase\b", link.column, re.IGNORECASE))
        in_sentence = not link.column and bool(_DERIVED.search(link.sentence))
        if (in_column or in_sentence) and _mentions_self(link.sentence, names):
            bases.append(Reference(repo, Provenance(link.provenance.path, link.provenance.line, "card text"),
                                   "declared in the card text"))
    return bases


def license_mentions(card: ModelCard | None, links: tuple[CardLink, ...], names: tuple[str, ...]) -> list[
    LicenseDeclaration
]:
    """Licenses the card's License section says this release is under, with the sentence."""
    if card is None:
        return []
    mentions = []
    for link in links:
        if not re.search(r"licen[cs]", link.heading, re.IGNORECASE) or not _mentions_self(link.sentence, names):
            continue
        mentions.append(LicenseDeclaration(
            "other", Provenance(link.provenance.path, link.provenance.line, "card text"),
            name=link.text or link.sentence, link=link.url,
        ))
    return mentions
