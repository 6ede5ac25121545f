// A frame for the element's in-browser tests, served by the test runner at `/wtr/embed` (same origin as the
// test page, so a test reaches `window.fakeFrame` through the iframe). It answers `hello` like the real
// frame, takes a ticket, says `ready`, records the calls it gets, and lets the test emit any event.
import {
  answerHello,
  decodeEmbedParams,
  type FrameEvent,
  type HelloRequest,
  type HostMethods,
  PROTOCOL_VERSION,
  RPC_CHANNEL,
  type Selections,
} from "@portico/protocol";
import { connect, WindowMessenger } from "penpal";

const params = decodeEmbedParams(location.search);
const user = { userDirectory: "NONE", userId: "anonymous-wtr", anonymous: true };
let selections: Selections = params.selections ?? {};
/** The host's calls, in order: `[method, ...args]`. */
const calls: unknown[][] = [];

const methods: Record<string, (...args: never[]) => unknown> = {
  hello: (major: number, request?: HelloRequest) => answerHello(major, request, Object.keys(methods)),
  authenticate: async () => user,
  createJoinTicket: async () => "join-ticket",
  getSheets: async () => [{ id: "overview", title: "Overview" }],
  openSheet: async (sheet: string) => void calls.push(["openSheet", sheet]),
  select: async (field: string, values: Array<string | number>) => {
    calls.push(["select", field, values]);
    selections = { ...selections, [field]: values };
    return selections;
  },
  clearSelections: async (field?: string) => {
    calls.push(["clearSelections", field]);
    const { [field ?? ""]: _, ...rest } = selections;
    selections = field === undefined ? {} : rest;
    return selections;
  },
  getSelections: async () => selections,
  setTheme: async (theme: unknown) => void calls.push(["setTheme", theme]),
  setLocale: async (locale: string) => void calls.push(["setLocale", locale]),
};

const connection = connect<HostMethods>({
  messenger: new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [location.origin] }),
  channel: RPC_CHANNEL,
  methods: methods as never,
});
const host = await connection.promise;

declare global {
  interface Window {
    fakeFrame: { calls: unknown[][]; ticket: string; emit(event: FrameEvent): Promise<unknown> };
  }
}
window.fakeFrame = {
  calls,
  ticket: await host.getTicket("initial"),
  emit: async (event) => host.emit(event),
};
void host.emit({
  type: "ready",
  protocolVersion: PROTOCOL_VERSION,
  user,
  view: "sheet",
  ...(params.app ? { app: params.app } : {}),
  ...(params.sheet ? { sheet: params.sheet } : {}),
});
