"""Builds the usage-learning set from CLINC150 (clinc/oos-eval, data/data_full.json, CC BY 3.0).

    python3 bench/eval/usage/build.py path/to/data_full.json

Deterministic (file order, no randomness). Writes next to this script:
  corpus.jsonl           150 answers, one per intent: the question is the intent's shortest `val` query of at least three words
  corpus-verbatim.jsonl  the same, with every logged phrasing of the intent as an alternative (the ceiling)
  usage.jsonl            uses from the `train` split: per intent, 15 queries each used by two different
                         agents in two conversations, and 5 queries used twice by one agent (must not teach)
  queries.jsonl          held-out: the first 10 `test` queries of each intent (1,500)
"""
import json, os, sys

TAUGHT, SOLO, HELD_OUT, AGENTS = 15, 5, 10, 40
data = json.load(open(sys.argv[1]))
out = os.path.dirname(os.path.abspath(__file__))
by = lambda split: {i: [q for q, it in data[split] if it == i] for i in dict.fromkeys(it for _, it in data[split])}
train, val, test = by("train"), by("val"), by("test")
intents = sorted(train)

corpus, verbatim, usage, queries = [], [], [], []
n = 0
for k, intent in enumerate(intents):
    question = min([q for q in val[intent] if len(q.split()) >= 3] or val[intent], key=lambda q: (len(q), q))
    taught = train[intent][:TAUGHT]
    solo = train[intent][TAUGHT:TAUGHT + SOLO]
    # Only the question carries words: the intent's label would hand the ranker the answer key.
    line = {"id": intent, "question": question, "answer": question, "topic": "CLINC150", "audience": "internal"}
    corpus.append(line)
    verbatim.append({**line, "alternatives": taught + solo})
    for j, q in enumerate(taught):
        for r in range(2):
            n += 1
            usage.append({"query": q, "used": intent, "agent": f"agent-{(k * 7 + j * 3 + r * 11) % AGENTS}", "conversation": f"conv-{n}"})
    for j, q in enumerate(solo):
        for r in range(2):
            n += 1
            usage.append({"query": q, "used": intent, "agent": f"agent-{(k * 5 + j) % AGENTS}", "conversation": f"conv-{n}"})
    for j, q in enumerate(test[intent][:HELD_OUT]):
        queries.append({"id": f"{intent}-{j}", "query": q, "relevant": [intent], "style": "held-out"})

# Interleave uses across intents, as a day at a help desk would.
total = len(usage)
usage.sort(key=lambda u: ((int(u["conversation"][5:]) * 7919) % total, u["conversation"]))
for name, rows in [("corpus", corpus), ("corpus-verbatim", verbatim), ("usage", usage), ("queries", queries)]:
    with open(os.path.join(out, f"{name}.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    print(name, len(rows))
