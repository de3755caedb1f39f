"""scikit-learn baseline for `pnpm bench nlp`: the same leak-free split, scored by a standard pipeline.

Reads one JSON object from the file named on the command line: {"train": [{"text", "label"}], "heldOut": [...]}.
Prints one JSON line: {"predicted": [...]} in held-out order. Features: character 1-3-gram TF-IDF (sublinear tf,
L2) plus whitespace/punctuation "words" (no jieba: a reader needs only Debian's python3-sklearn), LinearSVC with
C=1 (scikit-learn's defaults otherwise). Run with /usr/bin/python3 (apt-get install python3-sklearn).
"""

import json
import sys

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        split = json.load(handle)
    train_texts = [d["text"] for d in split["train"]]
    train_labels = [d["label"] for d in split["train"]]
    held_texts = [d["text"] for d in split["heldOut"]]
    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    words = TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b\w\w+\b", sublinear_tf=True, min_df=2)
    x_train = hstack([chars.fit_transform(train_texts), words.fit_transform(train_texts)]).tocsr()
    x_held = hstack([chars.transform(held_texts), words.transform(held_texts)]).tocsr()
    model = LinearSVC(C=1.0)
    model.fit(x_train, train_labels)
    json.dump({"predicted": [str(p) for p in model.predict(x_held)]}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
