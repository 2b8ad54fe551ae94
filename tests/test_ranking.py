"""Pure ranking steps: fusion, diversification, the answered decision, thesaurus and tokenising."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.answering.lexical import (
    LexicalIndex,
    default_thesaurus,
    foreign_share,
    parse_thesaurus,
    tokenize,
)
from retrieval.answering.ranking import RelevanceThresholds, diversify, fuse, is_answered, min_max


def test_min_max_and_fuse():
    dense = np.array([0.2, 0.4, 0.6], dtype=np.float32)
    lexical = np.array([3.0, 0.0, 1.0], dtype=np.float32)
    np.testing.assert_allclose(min_max(dense), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(fuse(dense, lexical, dense_weight=0.5), [0.5, 0.25, 0.5 + 1 / 6], rtol=1e-6)
    with pytest.raises(ValueError, match="dense_weight"):
        fuse(dense, lexical, dense_weight=1.5)


def test_diversify_lifts_other_documents_best_clause_but_keeps_the_best_first():
    order = [0, 1, 2, 3, 4]
    docs = ["a", "a", "a", "b", "a"]
    fused = np.array([1.0, 0.9, 0.8, 0.7, 0.1])
    assert diversify(order, docs, fused, top_k=5) == [0, 1, 3, 2, 4]
    weak = np.array([1.0, 0.9, 0.8, 0.2, 0.1])
    assert diversify(order, docs, weak, top_k=5) == [0, 1, 2, 3, 4]
    assert diversify(order, docs, fused, top_k=1) == [0]
    assert diversify(order, docs, fused, top_k=2) == [0, 3]


def test_is_answered_weighs_unknown_words():
    limits = RelevanceThresholds(min_relevance=0.28, foreign_weight=0.3)
    assert is_answered(0.45, 0.0, limits)
    assert not is_answered(0.45, 0.7, limits)
    assert not is_answered(0.2, 0.0, limits)


def test_tokenize_stems_and_drops_stopwords():
    assert tokenize("Can I post photos of the pupils?") == ["post", "photo", "pupil"]


def test_thesaurus_translates_everyday_words_in_phrases_and_plurals():
    thesaurus = default_thesaurus()
    assert "dismissal" in thesaurus.expand("Will I get sacked?")
    assert "former pupils" in thesaurus.expand("can I message ex-pupils")
    assert "photographs" in thesaurus.expand("my photos")
    assert thesaurus.expand("") == ()


def test_thesaurus_file_errors_name_the_entry():
    with pytest.raises(ValueError, match="'kid'"):
        parse_thesaurus('[terms]\n"kid" = "pupils"\n')


def test_foreign_share_is_high_for_words_the_corpus_never_uses():
    index = LexicalIndex(["Staff must not post photographs of pupils.", "Disciplinary action may follow."])
    thesaurus = parse_thesaurus("[terms]\n")
    assert foreign_share("post photographs of pupils", index.knows, thesaurus) == 0.0
    assert foreign_share("maternity leave entitlement", index.knows, thesaurus) > 0.9
    # 'disciplined' is known through the corpus word 'disciplinary'.
    assert foreign_share("disciplined", index.knows, thesaurus) == 0.0


def test_a_word_is_known_through_its_form_without_un_re_or_dis():
    index = LexicalIndex(["Staff must decline friend requests and must not post comments."])
    assert index.knows(tokenize("unfriend")[0]) and index.knows(tokenize("reposting")[0])
    assert not index.knows(tokenize("unpaid")[0])  # 'paid' is not in the corpus either
    assert not index.knows(tokenize("redundancy")[0])


def test_lexical_index_scores_matching_text_highest():
    index = LexicalIndex(["photos of pupils", "email addresses", "privacy settings"])
    scores = index.scores(tokenize("pupil photos"))
    assert int(np.argmax(scores)) == 0 and scores[1] == 0.0


def test_the_asker_is_staff_unless_a_role_is_chosen_or_governors_are_asked_about():
    from retrieval.answering.ranking import OTHER_AUDIENCE_PENALTY, ROLE_BOOST, for_the_asker

    fused = np.array([0.90, 0.88, 0.50])
    binds = {
        "staff": np.array([False, True, False]),
        "governor": np.array([True, False, False]),
        "hr": np.array([False, False, False]),
    }
    staff = for_the_asker(fused, binds, None, "Can I be online friends with pupils?")
    assert int(np.argmax(staff)) == 1 and staff[0] == pytest.approx(0.90 - OTHER_AUDIENCE_PENALTY)
    assert int(np.argmax(for_the_asker(fused, binds, None, "Can governors be friends with pupils?"))) == 0
    governor = for_the_asker(fused, binds, "governor", "Can I be online friends with pupils?")
    assert governor[0] == pytest.approx(0.90 + ROLE_BOOST) and governor[1] == pytest.approx(0.88)
    assert (for_the_asker(fused, binds, "hr", "anything") == fused).all()  # no clause binds HR here


def test_lexical_evidence_counts_in_full_only_from_the_full_score():
    dense = np.array([0.2, 0.4, 0.6], dtype=np.float32)
    weak = np.array([2.0, 0.0, 1.0], dtype=np.float32)  # best clause shares one common word
    strong = weak * 4
    half = fuse(dense, weak, dense_weight=0.5, lexical_full_score=4.0)
    np.testing.assert_allclose(half, 0.5 * np.array([0.0, 0.5, 1.0]) + 0.25 * np.array([1.0, 0.0, 0.5]))
    np.testing.assert_allclose(
        fuse(dense, strong, dense_weight=0.5, lexical_full_score=4.0), fuse(dense, strong, dense_weight=0.5)
    )
