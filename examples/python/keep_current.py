# Keeps a dict of Conifer keys current through long-poll, standard library only.
#   CONIFER_URL=http://localhost:3000 CONIFER_TOKEN=cnf_... python3 keep_current.py /app/a.json /app/b.yaml
import json, os, sys, urllib.parse, urllib.request, urllib.error

URL, TOKEN = os.environ.get("CONIFER_URL", "http://localhost:3000"), os.environ["CONIFER_TOKEN"]
TIMEOUT = int(os.environ.get("CONIFER_WATCH_TIMEOUT", "60"))

def call(route, **query):
    req = urllib.request.Request(f"{URL}{route}?{urllib.parse.urlencode(query, doseq=True)}",
                                 headers={"Authorization": f"Bearer {TOKEN}"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT + 10) as res:
            return json.load(res)
    except urllib.error.HTTPError as e:
        if e.code in (304, 404): return None  # nothing moved / no such key
        raise

config, mzxid = {}, {}
def load(path):
    node = call("/api/v1/keys", path=path)
    config[path], mzxid[path] = (node["content"], node["mzxid"]) if node else (None, "0")

for p in sys.argv[1:]: load(p)
print(json.dumps(config), flush=True)
while True:  # each answer names what moved past our mzxids; reload those and ask again
    moved = call("/api/v1/watch", path=list(mzxid), mzxid=list(mzxid.values()), timeout=TIMEOUT)
    for change in (moved or {}).get("changes", []): load(change["path"])
    if moved: print(json.dumps(config), flush=True)
