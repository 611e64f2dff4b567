import asyncio
import unittest
import uuid

from awaithuman import AsyncAwaitHumanClient, ConflictError, NotFoundError, ValidationError, WaitTimeoutError

from .server import API_KEY, BASE_URL, RESOLUTION, handoff, operator_does


def agent() -> AsyncAwaitHumanClient:
    return AsyncAwaitHumanClient(BASE_URL, API_KEY, retry_delay=0.05)


class AsyncClientTests(unittest.IsolatedAsyncioTestCase):
    async def test_escalates_and_gets_the_hand_back_while_the_loop_stays_free(self):
        client = agent()
        created = await client.escalate(handoff())
        waiting = asyncio.ensure_future(client.wait_for_human(created["resume_token"], timeout=60))
        # The loop keeps running other work while the wait is parked on the server.
        await asyncio.sleep(0.3)
        self.assertFalse(waiting.done())
        await asyncio.get_running_loop().run_in_executor(None, operator_does, created["id"], "resolve", RESOLUTION)
        done = await waiting
        self.assertEqual(done["hand_back"]["outcome"], "resolved")
        self.assertEqual(done["hand_back"]["resolution"]["instructions_for_agent"], "Confirm the refund arrives in 3-5 days.")

    async def test_the_same_calls_and_typed_errors(self):
        client = agent()
        created = await client.escalate(handoff())
        await client.append_message(created["id"], "customer", "Still there?")
        draft = await client.propose_draft(created["id"], "A reply for the operator to approve.")
        self.assertEqual(draft["escalation_id"], created["id"])
        page = await client.list(status=["waiting_for_human"], limit=100)
        self.assertIn(created["id"], [item["id"] for item in page["items"]])
        self.assertIn(created["id"], [item["id"] async for item in client.list_all(status="waiting_for_human", limit=50)])
        endpoint = await client.webhook_endpoints.create("http://127.0.0.1:9/async", ["*"])
        self.assertIn(endpoint["id"], [item["id"] async for item in client.webhook_endpoints.list_all()])
        await client.webhook_endpoints.delete(endpoint["id"])
        await client.cancel(created["id"])
        with self.assertRaises(ConflictError):
            await client.cancel(created["id"])
        with self.assertRaises(NotFoundError):
            await client.get(str(uuid.uuid4()))
        with self.assertRaises(ValidationError):
            await client.escalate({"kind": "handoff", "reason": ""})
        with self.assertRaises(WaitTimeoutError):
            await client.wait_for_human(escalation_id=(await client.escalate(handoff()))["id"], timeout=1)

    async def test_streams_events(self):
        client = agent()
        created = await client.escalate(handoff())
        await asyncio.get_running_loop().run_in_executor(None, operator_does, created["id"], "resolve", RESOLUTION)
        types = []
        async for event in client.events(created["id"]):
            types.append(event["type"])
            if event["type"] == "escalation.resolved":
                break
        self.assertEqual(types[0], "escalation.opened")
        self.assertEqual(types[-1], "escalation.resolved")


if __name__ == "__main__":
    unittest.main()
