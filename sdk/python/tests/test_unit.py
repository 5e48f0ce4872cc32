"""Pure-logic tests: no server needed."""

import json
import os
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import riffle  # noqa: E402
from riffle import errors  # noqa: E402
from riffle.data import Backoff, ConsumeEventResponse, ConsumeFailedResponse, PipelineDataSink  # noqa: E402
from riffle.http import (AttrDict, Response, encode_multipart, encode_ndjson, query_string,  # noqa: E402
                         resolve_server_url, resolve_token)


class BackoffTest(unittest.TestCase):
    def make(self):
        self.slept = []
        return Backoff(sleep=self.slept.append, rand=lambda a, b: 0.0)

    def test_doubles_on_204_and_429_up_to_60_then_resets_on_200(self):
        b = self.make()
        seen = []
        for status in (204, 204, 429, 204, 204, 204, 204, 204):
            b.update(status)
            seen.append(b.current)
        self.assertEqual(seen, [2, 4, 8, 16, 32, 60, 60, 60])
        b.update(200)
        self.assertEqual(b.current, 1)

    def test_other_statuses_leave_the_delay(self):
        b = self.make()
        b.update(204)
        b.update(500)
        self.assertEqual(b.current, 2)

    def test_wait_sleeps_only_above_the_minimum(self):
        b = self.make()
        b.wait()
        self.assertEqual(self.slept, [])
        b.update(204)
        b.wait()
        self.assertEqual(self.slept, [2])

    def test_jitter_is_added(self):
        b = Backoff(sleep=lambda s: None, rand=lambda a, b: b)
        b.update(204)
        self.assertAlmostEqual(b.current, 2.1)


class SinkBackoffTest(unittest.TestCase):
    """The sink applies the backoff around real calls; the transport is faked."""

    def sink(self, statuses, backoff=True):
        sink = PipelineDataSink("p1", "tok", "http://x", backoff=backoff)
        answers = iter(statuses)
        body = json.dumps({"payload": {"a": 1}, "response": {"b": 2}, "status": "Success",
                           "event_context": {"request_id": "r1"}}).encode()

        def send(method, path, **kwargs):
            status = next(answers)
            self.calls.append((method, path))
            content = body if status == 200 else b""
            headers = {"Content-Type": "application/json"} if status == 200 else {}
            return Response(status, headers, content, path, method)

        self.calls = []
        sink.transport.send = send
        if backoff:
            self.slept = []
            sink.backoff._sleep = self.slept.append
            sink.backoff._rand = lambda a, b: 0.0
        return sink

    def test_glassflow_backoff_sequence(self):
        sink = self.sink([204, 204, 429, 200, 204])
        statuses = [sink.consume().status_code for _ in range(5)]
        self.assertEqual(statuses, [204, 204, 429, 200, 204])
        self.assertEqual(self.slept, [2, 4, 8])
        self.assertEqual(self.calls[0], ("POST", "/pipelines/p1/topics/output/events/consume"))

    def test_no_backoff_option(self):
        sink = self.sink([204, 204, 204], backoff=False)
        for _ in range(3):
            self.assertIsNone(sink.consume().event())
        self.assertIsNone(sink.backoff)

    def test_consume_200_shapes(self):
        res = self.sink([200]).consume()
        self.assertEqual(res.status_code, 200)
        self.assertEqual(res.event(), {"b": 2})
        self.assertEqual(res.json(), {"b": 2})
        self.assertEqual(res.body["response"], {"b": 2})
        self.assertEqual(res.body.response, {"b": 2})
        self.assertEqual(res.body.event, {"b": 2})  # SDK 2.0's field name
        self.assertEqual(res.body.event_context.request_id, "r1")
        self.assertEqual(res.payload, {"a": 1})
        self.assertEqual(res.request_id, "r1")

    def test_consume_failed_uses_failed_topic(self):
        sink = self.sink([204])
        res = sink.consume_failed()
        self.assertIsInstance(res, ConsumeFailedResponse)
        self.assertIsNone(res.body)
        self.assertEqual(self.calls[0][1], "/pipelines/p1/topics/failed/events/consume")

    def test_consume_401_raises(self):
        sink = self.sink([401])
        with self.assertRaises(riffle.PipelineAccessTokenInvalidError):
            sink.consume()

    def test_follow_yields_and_stops(self):
        sink = self.sink([204, 200, 200, 204, 204, 204, 204, 204, 204, 204], backoff=False)
        with mock.patch("riffle.data.time.sleep"):
            got = list(sink.follow(limit=2))
        self.assertEqual([r.event() for r in got], [{"b": 2}, {"b": 2}])


class NdjsonTest(unittest.TestCase):
    def test_one_object_per_line(self):
        body = encode_ndjson([{"a": 1}, {"text": "two\nlines", "ü": "é"}])
        lines = body.decode("utf-8").split("\n")
        self.assertEqual(lines[-1], "")
        self.assertEqual([json.loads(x) for x in lines[:-1]], [{"a": 1}, {"text": "two\nlines", "ü": "é"}])

    def test_empty(self):
        self.assertEqual(encode_ndjson([]), b"")

    def test_generator_input(self):
        self.assertEqual(encode_ndjson({"i": i} for i in range(3)), b'{"i":0}\n{"i":1}\n{"i":2}\n')

    def test_non_object_refused(self):
        with self.assertRaises(TypeError):
            encode_ndjson([{"a": 1}, [1, 2]])


class ErrorMappingTest(unittest.TestCase):
    def body(self, msg):
        return json.dumps({"detail": msg, "msg": msg})

    def test_data_plane(self):
        e = errors.error_for(401, self.body("bad token"), plane="data", resource="pipeline", resource_id="p")
        self.assertIsInstance(e, riffle.PipelineAccessTokenInvalidError)
        self.assertEqual(e.status_code, 401)
        self.assertIn("bad token", e.detail)
        self.assertIsInstance(errors.error_for(404, "", plane="data", resource_id="p"), riffle.PipelineNotFoundError)
        self.assertIsInstance(errors.error_for(429, "", plane="data"), riffle.PipelineTooManyRequestsError)

    def test_management(self):
        self.assertIsInstance(errors.error_for(401, ""), riffle.UnauthorizedError)
        self.assertIsInstance(errors.error_for(404, "", resource="pipeline", resource_id="x"),
                              riffle.PipelineNotFoundError)
        self.assertIsInstance(errors.error_for(404, "", resource="space", resource_id="x"), riffle.SpaceNotFoundError)
        self.assertIsInstance(errors.error_for(404, ""), riffle.NotFoundError)
        self.assertIsInstance(errors.error_for(425, "", resource="pipeline"),
                              riffle.PipelineArtifactStillInProgressError)
        self.assertIsInstance(errors.error_for(400, self.body("name is required")), riffle.BadRequestError)
        self.assertIsInstance(errors.error_for(403, ""), riffle.ForbiddenError)
        self.assertIsInstance(errors.error_for(413, ""), riffle.PayloadTooLargeError)
        self.assertIsInstance(errors.error_for(503, ""), riffle.ServiceUnavailableError)
        e = errors.error_for(502, "<html>bad gateway</html>")
        self.assertIsInstance(e, riffle.UnknownError)
        self.assertEqual(e.body, "<html>bad gateway</html>")

    def test_space_not_empty_only_on_delete(self):
        body = self.body("space is not empty: delete its 1 pipelines first")
        e = errors.error_for(409, body, resource="space", resource_id="s", method="DELETE")
        self.assertIsInstance(e, riffle.SpaceIsNotEmptyError)
        self.assertEqual(e.detail, "space is not empty: delete its 1 pipelines first")
        self.assertEqual(e.msg, "space is not empty: delete its 1 pipelines first")
        self.assertNotIsInstance(errors.error_for(409, body, resource="space", method="POST"),
                                 riffle.SpaceIsNotEmptyError)

    def test_all_are_client_errors_with_str(self):
        for status in (400, 401, 403, 404, 409, 413, 425, 429, 500, 503):
            e = errors.error_for(status, self.body("why"))
            self.assertIsInstance(e, riffle.ClientError)
            self.assertIn(f"Status {status}", str(e))

    def test_retry_after(self):
        res = Response(429, {"Retry-After": "3"}, b"{}")
        self.assertEqual(errors.error_for(429, "{}", raw_response=res).retry_after, 3.0)
        self.assertIsNone(errors.error_for(429, "{}").retry_after)


class ConfigTest(unittest.TestCase):
    def test_server_url(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(resolve_server_url(None), "http://127.0.0.1:8080/v1")
            for url in ("http://h:1", "http://h:1/", "http://h:1/v1", "http://h:1/v1/", "h:1"):
                self.assertEqual(resolve_server_url(url), "http://h:1/v1")
        with mock.patch.dict(os.environ, {"RIFFLE_SERVER": "http://e:2"}):
            self.assertEqual(resolve_server_url(None), "http://e:2/v1")
            self.assertEqual(resolve_server_url("http://a:3"), "http://a:3/v1")

    def test_token_order(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "admin.token"), "w") as f:
                f.write("from-file\n")
            with mock.patch.dict(os.environ, {"RIFFLE_DATA_DIR": d}, clear=True):
                self.assertEqual(resolve_token(None), "from-file")
                self.assertEqual(resolve_token("arg"), "arg")
            with mock.patch.dict(os.environ, {"RIFFLE_DATA_DIR": d, "RIFFLE_TOKEN": "env"}, clear=True):
                self.assertEqual(resolve_token(None), "env")
            with mock.patch.dict(os.environ, {"HOME": d}, clear=True):
                self.assertIsNone(resolve_token(None))
                os.makedirs(os.path.join(d, ".riffle"))
                with open(os.path.join(d, ".riffle", "admin.token"), "w") as f:
                    f.write("home")
                self.assertEqual(resolve_token(None), "home")

    def test_query_string_repeats_lists_and_drops_none(self):
        self.assertEqual(query_string({"space_id": ["a", "b"], "page_token": None, "page_size": 5}),
                         "?space_id=a&space_id=b&page_size=5")
        self.assertEqual(query_string({"x": None}), "")

    def test_multipart(self):
        data, ctype = encode_multipart({"requirementsTxt": "requests\n"}, {"file": ("handler.py", b"def handler")})
        boundary = ctype.split("boundary=")[1]
        text = data.decode()
        self.assertTrue(ctype.startswith("multipart/form-data; boundary="))
        self.assertIn('name="requirementsTxt"\r\n\r\nrequests\n\r\n', text)
        self.assertIn('name="file"; filename="handler.py"', text)
        self.assertTrue(text.endswith(f"--{boundary}--\r\n"))

    def test_attrdict(self):
        d = AttrDict.wrap({"a": {"b": [{"c": 1}]}})
        self.assertEqual(d.a.b[0].c, 1)
        with self.assertRaises(AttributeError):
            d.missing  # noqa: B018
        self.assertEqual(json.loads(json.dumps(d)), {"a": {"b": [{"c": 1}]}})

    def test_consume_response_empty(self):
        r = ConsumeEventResponse(204)
        self.assertIsNone(r.event())
        self.assertIsNone(r.json())
        self.assertIsNone(r.payload)

    def test_unreachable_server(self):
        source = riffle.PipelineDataSource("p", "t", "http://127.0.0.1:9", timeout=2)
        with self.assertRaises(riffle.RiffleConnectionError) as ctx:
            source.publish({"a": 1})
        self.assertIsInstance(ctx.exception, ConnectionError)
        self.assertIsInstance(ctx.exception, riffle.ClientError)


if __name__ == "__main__":
    unittest.main()
