import threading
import time
import unittest
import urllib.error
import uuid

from awaithuman import (AwaitHumanClient, AwaitHumanConnectionError, ConflictError, NotFoundError, UnauthorizedError,
                        ValidationError, WaitTimeoutError)

from .server import API_KEY, BASE_URL, RESOLUTION, agent, handoff, operator_does


class EscalatingTests(unittest.TestCase):
    def test_opens_an_escalation_with_transcript_confidence_priority_and_channel(self):
        client = agent()
        request = handoff()
        created = client.escalate(request)
        self.assertEqual(created["status"], "waiting_for_human")
        self.assertTrue(created["resume_token"].startswith("rt_"))

        escalation = client.get(created["id"])
        self.assertEqual(escalation["confidence"], 0.42)
        self.assertEqual(escalation["priority"], "high")
        self.assertEqual(escalation["customer"]["preferred_channel"], "agent")
        self.assertEqual([(line["role"], line["content"]) for line in escalation["transcript"]],
                         [(line["role"], line["content"]) for line in request["transcript"]])
        self.assertIsNone(escalation.get("hand_back"))
        self.assertEqual([item["id"] for item in client.list(external_ref=request["external_ref"])["items"]], [created["id"]])

    def test_a_repeat_under_the_same_idempotency_key_answers_the_first_escalation(self):
        client = agent()
        request = handoff()
        key = f"escalate-{request['external_ref']}"
        first = client.escalate(request, idempotency_key=key)
        again = client.escalate(request, idempotency_key=key)
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(len(list(client.list_all(external_ref=request["external_ref"]))), 1)
        with self.assertRaises(ConflictError):
            client.escalate(dict(request, summary="another body"), idempotency_key=key)

    def test_a_create_whose_answer_is_lost_is_retried_under_the_same_key(self):
        sent = []

        class LoseFirstAnswer(urllib.request.BaseHandler):
            def http_response(self, request, response):
                sent.append((request.get_header("Idempotency-key"), request.data))
                if len(sent) == 1:
                    response.read()
                    raise urllib.error.URLError(ConnectionResetError("the answer was lost"))
                return response

        client = AwaitHumanClient(BASE_URL, API_KEY, retry_delay=0.05, opener=urllib.request.build_opener(LoseFirstAnswer()))
        request = handoff()
        created = client.escalate(request)
        self.assertEqual(len(sent), 2)
        self.assertTrue(sent[0][0])
        self.assertEqual(sent[1], sent[0])
        self.assertEqual([item["id"] for item in agent().list(external_ref=request["external_ref"])["items"]], [created["id"]])

    def test_names_every_invalid_field(self):
        with self.assertRaises(ValidationError) as caught:
            agent().escalate(handoff(reason="Not A Code!", confidence=7))
        self.assertEqual(caught.exception.status, 400)
        self.assertIn("reason", caught.exception.errors)
        self.assertIn("confidence", caught.exception.errors)
        self.assertIn("reason", str(caught.exception))

    def test_refuses_nan_before_sending(self):
        with self.assertRaises(ValueError):
            agent().escalate(handoff(confidence=float("nan")))

    def test_typed_errors_for_a_wrong_key_and_unknown_objects(self):
        with self.assertRaises(UnauthorizedError):
            AwaitHumanClient(BASE_URL, "ah_live_wrong").get(str(uuid.uuid4()))
        with self.assertRaises(NotFoundError):
            agent().get(str(uuid.uuid4()))

    def test_gives_up_with_a_connection_error_when_nothing_listens(self):
        client = AwaitHumanClient("http://127.0.0.1:9", API_KEY, max_retries=2, retry_delay=0.01)
        with self.assertRaises(AwaitHumanConnectionError):
            client.get(str(uuid.uuid4()))


class WhileTheHumanHasItTests(unittest.TestCase):
    def test_relays_messages_proposes_drafts_and_refuses_the_agents_voice(self):
        client = agent()
        created = client.escalate(handoff())
        operator_does(created["id"], "claim")
        escalation = client.append_message(created["id"], "customer", "Hello? Is someone there?")
        self.assertEqual(escalation["transcript"][-1]["content"], "Hello? Is someone there?")
        with self.assertRaises(ConflictError):
            client.append_message(created["id"], "agent", "I am still here too.")
        draft = client.propose_draft(created["id"], "I can refund the second charge today.")
        drafts = client.get(created["id"])["drafts"]
        self.assertEqual([(d["id"], d["status"]) for d in drafts], [(draft["draft_id"], "proposed")])

    def test_cancels_and_a_second_cancel_conflicts(self):
        client = agent()
        created = client.escalate(handoff())
        cancelled = client.cancel(created["id"], "The customer sorted it out.")
        self.assertEqual(cancelled["hand_back"]["outcome"], "cancelled")
        with self.assertRaises(ConflictError):
            client.cancel(created["id"])


class WaitingTests(unittest.TestCase):
    def test_a_new_process_with_only_the_resume_token_gets_the_hand_back(self):
        created = agent().escalate(handoff())
        result = {}

        def wait():
            try:
                result["escalation"] = agent().wait_for_human(created["resume_token"], timeout=60)
            except Exception as error:  # handed to the test thread
                result["error"] = error

        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.3)
        self.assertTrue(waiter.is_alive(), "the wait must hold until the hand-back")
        operator_does(created["id"], "claim")
        operator_does(created["id"], "reply", {"content": "Hi Ada, I am refunding the second charge now."})
        operator_does(created["id"], "resolve", RESOLUTION)
        waiter.join(60)

        self.assertNotIn("error", result)
        hand_back = result["escalation"]["hand_back"]
        self.assertEqual(hand_back["outcome"], "resolved")
        self.assertEqual(hand_back["owner"], "ai")
        self.assertEqual(hand_back["resolution"]["fields"], {"refund_id": "re_123", "amount": 49.9})
        self.assertEqual(hand_back["must_not_claim"], ["that the customer was charged only once"])
        self.assertEqual([(line["role"], line["content"]) for line in hand_back["transcript_delta"]],
                         [("operator", "Hi Ada, I am refunding the second charge now.")])

    def test_an_approval_comes_back_with_the_edited_arguments(self):
        client = agent()
        created = client.escalate({"kind": "approval", "reason": "refund_over_limit", "summary": "Refund 250 EUR?",
                                   "action": {"name": "issue_refund", "arguments": {"amount": 250}}})
        operator_does(created["id"], "decision", {"decision": "edit", "arguments": {"amount": 150}})
        done = client.wait_for_human(escalation_id=created["id"], timeout=30)
        self.assertEqual(done["hand_back"]["outcome"], "edited")
        self.assertEqual(done["hand_back"]["decision"]["arguments"], {"amount": 150})

    def test_times_out_when_nobody_answers(self):
        client = agent()
        created = client.escalate(handoff())
        started = time.monotonic()
        with self.assertRaises(WaitTimeoutError):
            client.wait_for_human(created["resume_token"], timeout=1.5)
        self.assertLess(time.monotonic() - started, 10)


class EventStreamTests(unittest.TestCase):
    def test_streams_events_and_resumes_after_the_last_one_seen(self):
        client = agent()
        created = client.escalate(handoff())
        operator_does(created["id"], "claim")
        operator_does(created["id"], "resolve", RESOLUTION)

        seen = []
        for event in client.events(created["id"]):
            seen.append(event)
            if event["type"] == "escalation.resolved":
                break
        types = [event["type"] for event in seen]
        self.assertEqual(types[0], "escalation.opened")
        self.assertIn("escalation.claimed", types)
        self.assertEqual(seen[-1]["data"]["hand_back"]["outcome"], "resolved")

        claimed = next(event for event in seen if event["type"] == "escalation.claimed")
        after = []
        for event in client.events(created["id"], last_event_id=claimed["id"]):
            after.append(event["id"])
            if event["type"] == "escalation.resolved":
                break
        self.assertEqual(after, [event["id"] for event in seen[seen.index(claimed) + 1:]])

    def test_an_unknown_escalation_ends_the_stream_with_not_found(self):
        with self.assertRaises(NotFoundError):
            next(agent().events(str(uuid.uuid4())))


if __name__ == "__main__":
    unittest.main()
