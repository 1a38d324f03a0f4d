// The inspector's API for tests: a bin of the user's, and the requests it captured.
import { expect } from "vitest";
import type { BinDto, InspectorRequestDto } from "../../src/contracts/inspector.ts";
import type { TestUser } from "./factories.ts";

export async function createBin(by: TestUser): Promise<BinDto> {
  const res = await by.api.post("/api/inspector/bins");
  expect(res.status, res.text).toBe(201);
  return res.body.bin;
}

export async function requestsOf(bin: BinDto, by: TestUser): Promise<InspectorRequestDto[]> {
  const res = await by.api.get(`/api/inspector/bins/${bin.id}/requests`);
  expect(res.status, res.text).toBe(200);
  return res.body.requests;
}
