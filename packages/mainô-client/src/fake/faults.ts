import type { OrderShape } from './serialise.js';

/** Faults a test queues on the fake; each applies to the next matching requests, `times` of them (default 1). */
export type MainoFault =
  | { kind: 'latency'; ms: number; times?: number; route?: RouteMatch }
  | { kind: 'status'; status: number; times?: number; route?: RouteMatch }
  | { kind: 'rate-limit'; retryAfterSeconds: number; times?: number; route?: RouteMatch }
  /** The order is stored and its stock committed, then the answer is held for `ms` (the client should time out). */
  | { kind: 'store-then-hang'; ms: number; times?: number }
  /** The order is stored and its stock committed, then the gateway answers `status` (default 504). */
  | { kind: 'store-then-status'; status?: number; times?: number }
  /** The next answers carrying orders (list, get, create) use this shape instead of the fake's default. */
  | { kind: 'order-shape'; shape: OrderShape; times?: number }
  /** The next answers listing `listKey` drop these fields from every entry (a field Mainô did not send). */
  | { kind: 'omit-fields'; listKey: 'produtos' | 'pedidos'; fields: string[]; times?: number };

export interface RouteMatch {
  method?: string;
  /** Path below the base URL, e.g. `pedidos` or /^pedidos\/\d+$/. */
  path?: string | RegExp;
}

type Queued = MainoFault & { left: number };

export interface FaultQueue {
  add(fault: MainoFault): void;
  /** The first front-door fault (latency, status, rate limit) for this request, consumed. */
  takeFrontDoor(method: string, path: string): MainoFault | undefined;
  /** The first create fault, consumed. */
  takeCreate(): MainoFault | undefined;
  /** The shape for the next answer carrying orders, consuming an `order-shape` fault if one is queued. */
  takeOrderShape(): OrderShape | undefined;
  /** Fields to drop from the next answer listing `listKey`, consuming an `omit-fields` fault if one is queued. */
  takeOmitted(listKey: string): string[];
  clear(): void;
}

export function createFaultQueue(): FaultQueue {
  let queue: Queued[] = [];
  const consume = (index: number): MainoFault => {
    const fault = queue[index]!;
    fault.left -= 1;
    if (fault.left <= 0) queue.splice(index, 1);
    return fault;
  };
  return {
    add: (fault) => queue.push({ ...fault, left: fault.times ?? 1 }),
    takeFrontDoor(method, path) {
      const index = queue.findIndex(
        (fault) => (fault.kind === 'latency' || fault.kind === 'status' || fault.kind === 'rate-limit') && matches(fault.route, method, path),
      );
      return index < 0 ? undefined : consume(index);
    },
    takeCreate() {
      const index = queue.findIndex((fault) => fault.kind === 'store-then-hang' || fault.kind === 'store-then-status');
      return index < 0 ? undefined : consume(index);
    },
    takeOrderShape() {
      const index = queue.findIndex((fault) => fault.kind === 'order-shape');
      const fault = index < 0 ? undefined : consume(index);
      return fault?.kind === 'order-shape' ? fault.shape : undefined;
    },
    takeOmitted(listKey) {
      const index = queue.findIndex((fault) => fault.kind === 'omit-fields' && fault.listKey === listKey);
      const fault = index < 0 ? undefined : consume(index);
      return fault?.kind === 'omit-fields' ? fault.fields : [];
    },
    clear: () => {
      queue = [];
    },
  };
}

function matches(route: RouteMatch | undefined, method: string, path: string): boolean {
  if (!route) return true;
  if (route.method && route.method.toUpperCase() !== method) return false;
  if (route.path === undefined) return true;
  return typeof route.path === 'string' ? route.path === path : route.path.test(path);
}
