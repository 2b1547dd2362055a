#!/usr/bin/env python3
"""Builds the public development sets under bench/eval/<set>/ and the real-text pool that
bench/search.ts scales to 100,000 answers. Deterministic: no randomness, fixed orders and caps.

Sources are git snapshots of public repositories (see bench/eval/README.md), read with `git show`:
  python3 bench/eval/convert.py /path/clinc+oos-eval/repo /path/NLU-Evaluation-Data/repo /path/Community-Question-Answering/repo
"""
import csv, gzip, io, json, os, re, subprocess, sys
from collections import OrderedDict

clinc, hwu, cqa = sys.argv[1:4]
here = os.path.dirname(os.path.abspath(__file__))
csv.field_size_limit(10**8)

def show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout

def ls(repo, prefix):
    out = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", prefix], capture_output=True, text=True, check=True).stdout
    return sorted(l for l in out.splitlines() if l)

def clean(s):
    s = s.replace("\u00a0", " ").replace("Â", " ")
    s = re.sub(r"\[img_assist[^\]]*\]", " ", s)
    s = s.strip().strip('"').strip()
    return re.sub(r"\s+", " ", s)

def short(s, n=300):
    if len(s) <= n: return s
    cut = s[:n].rsplit(" ", 1)[0]
    return cut

def write(name, corpus, queries):
    d = os.path.join(here, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "corpus.jsonl"), "w") as f:
        for c in corpus: f.write(json.dumps(c, ensure_ascii=False) + "\n")
    with open(os.path.join(d, "queries.jsonl"), "w") as f:
        for q in queries: f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print(name, len(corpus), "answers", len(queries), "queries", file=sys.stderr)

def doc(id_, question, answer=None, topic=None):
    return {"id": id_, "question": short(question), "answer": answer or question, "audience": "public", **({"topic": topic} if topic else {})}

# --- CLINC150: duplicate-utterance retrieval. Per intent, its first 10 training utterances are
# answers; its first 4 test utterances are queries, relevant = those 10 answers.
data = json.loads(show(clinc, "data/data_full.json"))
by_intent = OrderedDict()
for text, intent in data["train"]: by_intent.setdefault(intent, []).append(text)
tests = OrderedDict()
for text, intent in data["test"]: tests.setdefault(intent, []).append(text)
corpus, queries = [], []
for intent in sorted(by_intent):
    ids = []
    for i, t in enumerate(by_intent[intent][:10]):
        ids.append(f"clinc-{intent}-{i}")
        corpus.append(doc(ids[-1], t))
    for i, t in enumerate(tests[intent][:4]):
        queries.append({"id": f"q-clinc-{intent}-{i}", "query": t, "relevant": ids, "style": "short"})
write("clinc150", corpus, queries)
clinc_pool = [t for t, _ in data["train"] + data["val"] + data["test"] + data["oos_train"] + data["oos_val"] + data["oos_test"]]

# --- HWU64: same shape. Fold 1's test utterances give the answers (first 10 per intent), fold 2's
# test utterances the queries (first 5 per intent); the folds are disjoint.
root = "CrossValidation/autoGeneFromRealAnno/autoGene_2018_03_22-13_01_25_169/CrossValidation"
def fold(k):
    out = OrderedDict()
    for p in ls(hwu, f"{root}/KFold_{k}/testset/annotated"):
        for row in json.loads(show(hwu, p))["test_data_annotation"]:
            t = clean(row["text"])
            if len(t) >= 3: out.setdefault(row["intent"], []).append(t)
    return out
f1, f2 = fold(1), fold(2)
corpus, queries = [], []
for intent in sorted(f1):
    ids = []
    for i, t in enumerate(f1[intent][:10]):
        ids.append(f"hwu-{intent}-{i}")
        corpus.append(doc(ids[-1], t))
    for i, t in enumerate(f2.get(intent, [])[:5]):
        queries.append({"id": f"q-hwu-{intent}-{i}", "query": t, "relevant": ids, "style": "short"})
write("hwu64", corpus, queries)
hwu_pool = [t for k in range(1, 11) for ts in fold(k).values() for t in ts]

# --- SemEval-2016/2017 Task 3 subtask B (Qatar Living forum): an original question (the user's
# message, often a long paste) against its 10 retrieved forum questions, judged PerfectMatch /
# Relevant / Irrelevant. Answers: every distinct related question; queries: every original question
# with at least one PerfectMatch or Relevant; relevant = those.
corpus, queries, seen = [], [], {}
for split in ["TRAIN", "VAL", "TEST"]:
    rows = list(csv.DictReader(io.StringIO(show(cqa, f"dataset/Subtask B/{split}-BASE.csv"))))
    groups = OrderedDict()
    for r in rows: groups.setdefault(clean(r["question"]), []).append(r)
    for qi, (q, rs) in enumerate(groups.items()):
        rel = []
        for r in rs:
            body = clean(r["rel_question"])
            if len(body) < 3: continue
            if body not in seen:
                seen[body] = f"ql-{len(seen):05d}"
                corpus.append(doc(seen[body], body))
            if r["labels"] in ("PerfectMatch", "Relevant") and seen[body] not in rel: rel.append(seen[body])
        if rel and len(q) >= 3:
            words = len(q.split())
            queries.append({"id": f"q-ql-{split.lower()}-{qi:03d}", "query": q, "relevant": rel, "style": "pasted" if words > 25 else "question"})
write("semeval-cqa", corpus, queries)

# --- Real-text pool for bench:search: forum questions (subject, body) with their comments from
# subtask A, and the short utterances of CLINC150 and HWU64.
threads = OrderedDict()
for split in ["VAL", "TEST"]:
    for r in csv.DictReader(io.StringIO(show(cqa, f"dataset/Subtask A/{split}-BASE.csv"))):
        key = (clean(r["feature"]), clean(r["question"]))
        c = clean(r["answer"])
        if c: threads.setdefault(key, []).append(c)
with gzip.GzipFile(os.path.join(here, "..", "search-text.jsonl.gz"), "wb", mtime=0) as g:
    for (subject, body), comments in threads.items():
        g.write((json.dumps({"kind": "thread", "subject": subject, "body": body, "comments": comments}, ensure_ascii=False) + "\n").encode())
    for t in dict.fromkeys(clinc_pool + hwu_pool):
        g.write((json.dumps({"kind": "utterance", "text": t}, ensure_ascii=False) + "\n").encode())
print("pool", len(threads), "threads", len(set(clinc_pool + hwu_pool)), "utterances", file=sys.stderr)
