"""End-to-end tests against a running Riffle server.

Run with RIFFLE_SERVER (e.g. http://127.0.0.1:8080) and RIFFLE_TOKEN (a personal access token, e.g. the
content of $RIFFLE_DATA_DIR/admin.token) set; skipped otherwise.
"""

import os
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import riffle  # noqa: E402

SERVER = os.environ.get("RIFFLE_SERVER")
TOKEN = os.environ.get("RIFFLE_TOKEN")

HANDLER = '''
import os

def handler(data, log):
    log.info("got %s", data.get("n"), n=data.get("n"))
    if data.get("fail"):
        raise ValueError("asked to fail")
    if data.get("skip"):
        return None
    return {"n": data["n"], "double": data["n"] * 2, "tag": os.getenv("TAG", "")}
'''

HANDLER_V2 = '''
def handler(data, log):
    return {"n": data["n"], "v": 2}
'''


def until(fn, timeout=30.0, interval=0.05):
    """Calls fn until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(interval)


@unittest.skipUnless(SERVER and TOKEN, "end-to-end tests need a running server: set RIFFLE_SERVER "
                                       "(e.g. http://127.0.0.1:8080) and RIFFLE_TOKEN (a personal access token)")
class EndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = riffle.Client(SERVER, TOKEN)
        cls.space = cls.client.create_space("sdk-e2e-" + uuid.uuid4().hex[:8])
        cls.pipeline = cls.client.create_pipeline("sdk-e2e", cls.space["id"], HANDLER,
                                                  environments={"TAG": "t1"}, metadata={"by": "sdk-test"})
        cls.pid = cls.pipeline["id"]
        cls.token = cls.pipeline["access_token"]
        cls.client.wait_ready(cls.pid, timeout=120)
        cls.source = riffle.PipelineDataSource(cls.pid, cls.token, server_url=SERVER)
        cls.sink = riffle.PipelineDataSink(cls.pid, cls.token, server_url=SERVER, backoff=False)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.client.delete_pipeline(cls.pid)
        finally:
            cls.client.delete_space(cls.space["id"])

    def consume(self, failed=False):
        call = self.sink.consume_failed if failed else self.sink.consume
        return until(lambda: (lambda r: r if r.status_code == 200 else None)(call()))

    def test_01_pipeline_visible(self):
        self.assertEqual(self.pipeline["space_id"], self.space["id"])
        self.assertTrue(self.token)
        ids = [p["id"] for p in self.client.list_pipelines([self.space["id"]])]
        self.assertEqual(ids, [self.pid])
        detail = self.client.get_pipeline(self.pid)
        self.assertEqual(detail["name"], "sdk-e2e")
        self.assertEqual(detail["metadata"], {"by": "sdk-test"})
        self.assertEqual(detail["environments"], [{"name": "TAG", "value": "t1"}])
        self.assertIn(self.space["id"], [s["id"] for s in self.client.list_spaces()])

    def test_02_credentials(self):
        self.assertIsNone(self.source.validate_credentials())
        with self.assertRaises(riffle.PipelineAccessTokenInvalidError):
            riffle.PipelineDataSource(self.pid, "wrong", server_url=SERVER).validate_credentials()
        with self.assertRaises(riffle.PipelineNotFoundError):
            riffle.PipelineDataSource("no-such-pipeline", self.token, server_url=SERVER).publish({"n": 1})
        with self.assertRaises(riffle.UnauthorizedError):
            riffle.Client(SERVER, "not-a-token").list_spaces()
        with self.assertRaises(riffle.PipelineNotFoundError):
            self.client.get_pipeline("no-such-pipeline")

    def test_03_publish_consume(self):
        res = self.source.publish({"n": 21}, idempotency_key="k-21")
        self.assertEqual(res.status_code, 200)
        self.assertFalse(res.duplicate)
        again = self.source.publish({"n": 21}, idempotency_key="k-21")
        self.assertTrue(again.duplicate)
        out = self.consume()
        self.assertEqual(out.event(), {"n": 21, "double": 42, "tag": "t1"})
        self.assertEqual(out.payload, {"n": 21})
        self.assertEqual(out.body.status, "Success")
        self.assertEqual(out.request_id, res.request_id)
        time.sleep(0.5)
        self.assertEqual(self.sink.consume().status_code, 204, "the duplicate publish must not be processed")

    def test_04_consume_failed(self):
        self.source.publish({"n": 1, "fail": True})
        dead = self.consume(failed=True)
        self.assertIsInstance(dead, riffle.ConsumeFailedResponse)
        self.assertIn("asked to fail", dead.error_details)
        self.assertIn("ValueError", dead.stack_trace)
        self.assertEqual(dead.payload, {"n": 1, "fail": True})

    def test_05_logs(self):
        self.source.publish({"n": 5})
        self.consume()
        entries = until(lambda: [e for e in self.client.iter_logs(self.pid, page_size=2)
                                 if e["payload"].get("n") == 5])
        self.assertEqual(entries[0]["payload"]["message"], "got 5")
        self.assertEqual(entries[0]["level"], "INFO")
        page = self.client.get_logs(self.pid, page_size=1)
        self.assertEqual(len(page["logs"]), 1)
        self.assertIsInstance(page["next"], str)

    def test_06_test_function(self):
        out = self.client.test_function(self.pid, {"n": 4})
        self.assertEqual(out["status"], "Success")
        self.assertEqual(out["response"], {"n": 4, "double": 8, "tag": "t1"})
        failed = self.client.test_function(self.pid, {"n": 4, "fail": True})
        self.assertEqual(failed["status"], "Failed")
        self.assertIn("asked to fail", failed["error_details"])

    def test_07_batch_and_follow(self):
        events = [{"n": i} for i in range(100, 110)] + [{"n": 999, "skip": True}]
        res = self.source.publish_batch(events, idempotency_key="batch-1")
        self.assertEqual((res.accepted, res.rejected), (11, 0))
        self.assertEqual([r["index"] for r in res.results], list(range(11)))
        again = self.source.publish_batch(events, idempotency_key="batch-1")
        self.assertTrue(all(r["duplicate"] for r in again.results))
        got = [r.event()["n"] for r in self.sink.follow(limit=10, idle_timeout=30)]
        self.assertEqual(sorted(got), list(range(100, 110)))
        self.assertEqual(list(self.sink.follow(idle_timeout=0.5)), [], "skipped event and duplicates give nothing")

    def test_08_glassflow_default_backoff_sink(self):
        sink = riffle.PipelineDataSink(self.pid, self.token, server_url=SERVER)
        self.assertEqual(sink.consume().status_code, 204)
        self.assertGreater(sink.backoff.current, 1)
        self.source.publish({"n": 8})
        time.sleep(0.5)
        res = until(lambda: (lambda r: r if r.status_code == 200 else None)(sink.consume()), timeout=60)
        self.assertEqual(res.event()["n"], 8)
        self.assertEqual(sink.backoff.current, 1)

    def result_from(self, check, timeout=20.0):
        """Publishes until a result passes ``check``: a version switch reaches the running worker a moment
        after the API call that made it answers. Returns (result, number of results from before the switch)."""
        deadline = time.monotonic() + timeout
        stale = 0
        while True:
            self.source.publish({"n": 10})
            out = self.consume().event()
            if check(out):
                return out, stale
            stale += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"still getting {out} after {timeout} s")
            time.sleep(0.2)

    def test_09_versions_and_rollback(self):
        v = self.client.upload_function(self.pid, HANDLER_V2)
        self.assertEqual(v["version"], 2)
        self.client.wait_ready(self.pid, timeout=120)
        until(lambda: self.client.list_versions(self.pid)["active_version"] == 2)
        out, _ = self.result_from(lambda e: e.get("v") == 2)
        self.assertEqual(out, {"n": 10, "v": 2})
        self.assertEqual(self.client.get_artifact(self.pid)["transformation_function"], HANDLER_V2)
        self.assertEqual(self.client.rollback(self.pid, 1)["active_version"], 1)
        out, _ = self.result_from(lambda e: "double" in e)
        self.assertEqual(out, {"n": 10, "double": 20, "tag": "t1"})
        self.assertEqual(self.client.get_version(self.pid, 2)["transformation_function"], HANDLER_V2)
        self.assertEqual(sorted(x["version"] for x in self.client.list_versions(self.pid)["versions"]), [1, 2])

    def test_10_pause_resume(self):
        self.assertEqual(self.client.pause_pipeline(self.pid)["state"], "paused")
        # The PATCH answers before the runner has stopped: a fetch already waiting (up to 0.5 s) can still take
        # and process an event published at once. Test the settled paused state.
        time.sleep(1.0)
        self.source.publish({"n": 11})
        time.sleep(1.0)
        res = self.sink.consume()
        self.assertEqual(res.status_code, 204, f"a paused pipeline does not process; got {res.body}")
        self.assertEqual(self.client.resume_pipeline(self.pid)["state"], "running")
        self.assertEqual(self.consume().event()["n"], 11)

    def test_11_access_tokens(self):
        created = self.client.create_access_token(self.pid, "second")
        names = [t["name"] for t in self.client.list_access_tokens(self.pid)]
        self.assertIn("second", names)
        riffle.PipelineDataSource(self.pid, created["token"], server_url=SERVER).validate_credentials()
        self.assertEqual(self.client.rename_access_token(self.pid, created["id"], "renamed")["name"], "renamed")
        self.client.revoke_access_token(self.pid, created["id"])
        with self.assertRaises(riffle.PipelineAccessTokenInvalidError):
            until(lambda: riffle.PipelineDataSource(self.pid, created["token"], server_url=SERVER)
                  .validate_credentials() or None, timeout=10)

    def test_12_space_not_empty(self):
        with self.assertRaises(riffle.SpaceIsNotEmptyError) as ctx:
            self.client.delete_space(self.space["id"])
        self.assertEqual(ctx.exception.status_code, 409)
        self.assertIn("not empty", ctx.exception.detail)


if __name__ == "__main__":
    unittest.main()
