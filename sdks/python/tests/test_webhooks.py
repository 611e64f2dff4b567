import base64
import http.server
import threading
import unittest

from awaithuman import NotFoundError, ValidationError, WebhookVerificationError, WebhookVerifier

from .server import RESOLUTION, agent, handoff, operator_does

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"type":"escalation.resolved","timestamp":"2026-11-24T09:30:00Z","data":{"escalation_id":"0199","hand_back":{"outcome":"resolved"}}}'
NOW = 1_795_512_600


def other_secret(text: str) -> str:
    return "whsec_" + base64.b64encode(text.encode()).decode()


class VerifyingTests(unittest.TestCase):
    def test_the_standard_webhooks_reference_signature_matches(self):
        verifier = WebhookVerifier(SECRET, now=lambda: 1614265330)
        # The signature matches; the reference body is no AwaitHuman event, which is the only complaint.
        with self.assertRaises(WebhookVerificationError) as caught:
            verifier.verify(b'{"test": 2432232314}', {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
                                                      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="})
        self.assertEqual(caught.exception.failure, "invalid_payload")

    def test_verifies_a_signed_event_with_any_current_secret(self):
        signature = WebhookVerifier.sign(SECRET, "msg_1", NOW, BODY)
        verifier = WebhookVerifier([other_secret("older, still valid"), SECRET], now=lambda: NOW + 30)
        event = verifier.verify(BODY, {"Webhook-Id": "msg_1", "Webhook-Timestamp": str(NOW), "Webhook-Signature": "v1a,ignored " + signature})
        self.assertEqual(event.type, "escalation.resolved")
        self.assertEqual(event.escalation_id, "0199")
        self.assertEqual(event.hand_back, {"outcome": "resolved"})
        self.assertEqual(int(event.sent_at.timestamp()), NOW)

    def test_refuses_what_is_not_genuine_or_not_fresh(self):
        signature = WebhookVerifier.sign(SECRET, "msg_1", NOW, BODY)
        headers = {"webhook-id": "msg_1", "webhook-timestamp": str(NOW), "webhook-signature": signature}
        cases = [
            ("no_matching_signature", WebhookVerifier(SECRET, now=lambda: NOW), BODY.replace(b"resolved", b"cancelled"), headers),
            ("no_matching_signature", WebhookVerifier(other_secret("another"), now=lambda: NOW), BODY, headers),
            ("no_matching_signature", WebhookVerifier(SECRET, now=lambda: NOW), BODY, dict(headers, **{"webhook-id": "msg_2"})),
            ("no_matching_signature", WebhookVerifier(SECRET, now=lambda: NOW), BODY, dict(headers, **{"webhook-signature": "v1,not base64!"})),
            ("timestamp_out_of_tolerance", WebhookVerifier(SECRET, now=lambda: NOW + 301), BODY, headers),
            ("timestamp_out_of_tolerance", WebhookVerifier(SECRET, now=lambda: NOW - 301), BODY, headers),
            ("invalid_timestamp", WebhookVerifier(SECRET, now=lambda: NOW), BODY, dict(headers, **{"webhook-timestamp": "yesterday"})),
            ("missing_header", WebhookVerifier(SECRET, now=lambda: NOW), BODY, {"webhook-id": "msg_1", "webhook-timestamp": str(NOW)}),
        ]
        for failure, verifier, body, given in cases:
            with self.subTest(failure=failure, headers=given):
                with self.assertRaises(WebhookVerificationError) as caught:
                    verifier.verify(body, given)
                self.assertEqual(caught.exception.failure, failure)
        with self.assertRaises(ValueError):
            WebhookVerifier("whsec_???")
        with self.assertRaises(ValueError):
            WebhookVerifier([])


class WebhookEndpointTests(unittest.TestCase):
    def test_deliveries_to_a_registered_endpoint_verify_with_its_secret(self):
        received = []
        arrived = threading.Condition()

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(204)
                self.end_headers()
                with arrived:
                    received.append((body, dict(self.headers)))
                    arrived.notify_all()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)

        client = agent()
        endpoint = client.webhook_endpoints.create(f"http://127.0.0.1:{server.server_port}/hooks", ["escalation.resolved"], "sdk test")
        self.addCleanup(lambda: _ignore(NotFoundError, client.webhook_endpoints.delete, endpoint["id"]))
        self.assertTrue(endpoint["secret"].startswith("whsec_"))
        self.assertIn(endpoint["id"], [item["id"] for item in client.webhook_endpoints.list()["items"]])

        created = client.escalate(handoff())
        operator_does(created["id"], "resolve", RESOLUTION)
        with arrived:
            self.assertTrue(arrived.wait_for(lambda: any(created["id"].encode() in body for body, _ in received), timeout=60),
                            "no webhook within 60 s")
        body, headers = next((body, headers) for body, headers in received if created["id"].encode() in body)
        event = WebhookVerifier(endpoint["secret"]).verify(body, headers)
        self.assertEqual(event.type, "escalation.resolved")
        self.assertEqual(event.escalation_id, created["id"])
        self.assertEqual(event.hand_back["outcome"], "resolved")

        rotated = client.webhook_endpoints.rotate_secret(endpoint["id"], 3600)
        self.assertNotEqual(rotated["secret"], endpoint["secret"])
        self.assertEqual(client.webhook_endpoints.update(endpoint["id"], description="renamed")["description"], "renamed")
        self.assertEqual(client.webhook_endpoints.disable(endpoint["id"], "maintenance")["status"], "disabled")
        self.assertEqual(client.webhook_endpoints.enable(endpoint["id"])["status"], "enabled")
        client.webhook_endpoints.delete(endpoint["id"])
        with self.assertRaises(NotFoundError):
            client.webhook_endpoints.get(endpoint["id"])

    def test_endpoints_page_like_every_list(self):
        client = agent()
        created = [client.webhook_endpoints.create(f"http://127.0.0.1:9/paged/{i}", ["*"])["id"] for i in range(3)]
        for endpoint_id in created:
            self.addCleanup(lambda endpoint_id=endpoint_id: _ignore(NotFoundError, client.webhook_endpoints.delete, endpoint_id))

        paged, cursor = [], None
        while True:
            page = client.webhook_endpoints.list(limit=1, cursor=cursor)
            self.assertEqual(len(page["items"]), 1)
            paged.append(page["items"][0]["id"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(len(set(paged)), len(paged), "each endpoint once")
        self.assertTrue(set(created) <= set(paged))
        self.assertEqual([endpoint["id"] for endpoint in client.webhook_endpoints.list_all()], paged)
        with self.assertRaises(ValidationError) as bad_limit:
            client.webhook_endpoints.list(limit=0)
        self.assertIn("limit", bad_limit.exception.errors)
        with self.assertRaises(ValidationError) as bad_cursor:
            client.webhook_endpoints.list(cursor="not-a-cursor!")
        self.assertIn("cursor", bad_cursor.exception.errors)

    def test_an_unknown_event_type_names_the_field(self):
        with self.assertRaises(ValidationError) as caught:
            agent().webhook_endpoints.create("http://127.0.0.1:9/hooks", ["escalation.exploded"])
        self.assertIn("event_types", caught.exception.errors)


def _ignore(error_type, function, *args):
    try:
        function(*args)
    except error_type:
        pass


if __name__ == "__main__":
    unittest.main()
