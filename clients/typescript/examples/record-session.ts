// Registers a client and records a first session, through every step the clinic's rules require before it:
// screening, consent, a consultation booked and completed with a plan (which plans the course), then the session.
// Usage: COURSES_URL=http://127.0.0.1:5080 COURSES_TOKEN=<reception+practitioner token> node dist/examples/record-session.js
// Prints one JSON line: { clientId, courseId, sessionId, sessionNumber }.
import { createCoursesClient, idempotencyKey, type Problem } from "../src/index.js";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

const baseUrl = process.env.COURSES_URL;
const token = process.env.COURSES_TOKEN;
if (!baseUrl || !token) throw new Error("Set COURSES_URL and COURSES_TOKEN.");

const api = createCoursesClient({ baseUrl, token });
const practitionerId = "pract-ts-client";
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function ok<T>(step: string, answer: { data?: T; error?: Problem | unknown; response: Response }): T {
  if (answer.data === undefined) {
    throw new Error(`${step} was refused with ${answer.response.status}: ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

const { clientId } = ok("registering the client", await api.POST("/api/clients", {
  body: { fullName: "Tess Script", dateOfBirth: "1991-07-14", email: "tess@example.com" },
  params: { header: { "Idempotency-Key": idempotencyKey() } },
}));
const client = { path: { clientId } };

ok("screening", await api.POST("/api/clients/{clientId}/screenings", {
  params: client,
  body: { screenedAt: minutesAgo(60), conditions: [], knownAllergies: [] },
}));
ok("consent", await api.POST("/api/clients/{clientId}/consents", {
  params: client,
  body: { signedAt: minutesAgo(55), procedure: "microneedling", formVersion: "v3" },
}));
const { consultationId } = ok("booking the consultation", await api.POST("/api/clients/{clientId}/consultations", {
  params: client,
  body: { scheduledAt: minutesAgo(45), practitionerId, concerns: ["fineLines"] },
}));
const completed = ok("completing the consultation", await api.POST("/api/clients/{clientId}/consultations/{consultationId}/complete", {
  params: { path: { clientId, consultationId } },
  body: {
    completedAt: minutesAgo(30),
    practitionerId,
    outcome: "plan",
    concerns: ["fineLines"],
    plan: { areas: [{ area: "face", startingDepthMm: 0.5 }], serum: { product: "HydraBoost", lot: "L-TS-1" }, plannedSessions: 3 },
  },
}));
const courseId = completed.courseId;
if (!courseId) throw new Error("The consultation planned no course.");

const session = ok("recording the session", await api.POST("/api/clients/{clientId}/courses/{courseId}/sessions", {
  params: { path: { clientId, courseId } },
  body: {
    performedAt: minutesAgo(5),
    practitionerId,
    areas: [{ area: "face", depthMm: 0.5 }],
    serum: { product: "HydraBoost", lot: "L-TS-1" },
    numbingCreamApplied: false,
    calmingMaskApplied: true,
    spfApplied: true,
  },
}));

console.log(JSON.stringify({ clientId, courseId, sessionId: session.sessionId, sessionNumber: session.sessionNumber }));
