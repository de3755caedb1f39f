"""scikit-learn baseline for `pnpm bench nlp`: the same leak-free split, scored by a strong standard pipeline.

Reads one JSON object from the file named on the command line: {"train": [{"text", "label"}], "heldOut": [...]}; an
optional second argument `lr` fits a logistic regression (C=10) instead of the LinearSVC (the sub-category folds print
both).
Prints one JSON line: {"predicted": [...], "words": "jieba" | "whitespace"} in held-out order. Features: character
1-3-gram TF-IDF plus jieba word TF-IDF (both sublinear tf, L2, min_df 2), LinearSVC with C=1 — the pipeline issue 17
measured against. Without jieba installed the words fall back to whitespace/punctuation runs (weaker; the output says
so). Run with /usr/bin/python3 (apt-get install python3-sklearn python3-jieba).
"""

import json
import logging
import sys

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

try:
    import jieba

    jieba.setLogLevel(logging.WARNING)
except ImportError:  # the baseline still runs, with weaker words
    jieba = None


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        split = json.load(handle)
    train_texts = [d["text"] for d in split["train"]]
    train_labels = [d["label"] for d in split["train"]]
    held_texts = [d["text"] for d in split["heldOut"]]
    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    if jieba is not None:
        words = TfidfVectorizer(analyzer=lambda text: jieba.lcut(text), sublinear_tf=True, min_df=2)
    else:
        words = TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b\w\w+\b", sublinear_tf=True, min_df=2)
    x_train = hstack([chars.fit_transform(train_texts), words.fit_transform(train_texts)]).tocsr()
    x_held = hstack([chars.transform(held_texts), words.transform(held_texts)]).tocsr()
    model = LogisticRegression(C=10.0, max_iter=2000) if sys.argv[2:3] == ["lr"] else LinearSVC(C=1.0)
    model.fit(x_train, train_labels)
    predicted = [str(p) for p in model.predict(x_held)]
    json.dump({"predicted": predicted, "words": "jieba" if jieba else "whitespace"}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
