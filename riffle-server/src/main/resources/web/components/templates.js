// Starting points for a new pipeline's handler.

export const TEMPLATES = [
  {
    id: 'transform',
    name: 'Transform: enrich every event',
    source: `import os


def handler(data, log):
    # Runs once per event: the returned dict is the result; None drops the event.
    log.info("got event %s", data.get("id"))
    data["greeting"] = os.getenv("GREETING", "hello")
    data["size"] = len(data)
    return data
`,
  },
  {
    id: 'filter',
    name: 'Filter: keep only some events',
    source: `def handler(data, log):
    # Returning None drops the event: nothing goes to the results.
    if data.get("amount", 0) < 100:
        return None
    log.info("large amount: %s", data["amount"])
    return {"id": data.get("id"), "amount": data["amount"], "flagged": True}
`,
  },
  {
    id: 'split',
    name: 'Split: several results per event',
    source: `def handler(data, log):
    # A generator yields any number of results for one event.
    for item in data.get("items", []):
        yield {"order": data.get("id"), "item": item}
`,
  },
];
