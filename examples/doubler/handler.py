import os


def handler(data, log):
    factor = int(os.getenv("FACTOR", "2"))
    log.info("multiplying %s by %s", data["n"], factor)
    if data["n"] < 0:
        raise ValueError("negative numbers are not allowed")
    return {"n": data["n"], "result": data["n"] * factor}
