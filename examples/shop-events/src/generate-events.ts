// Seeded shop events over the two days before `now`: sessions of page views, some add to cart, some
// of those order. The same seed and size give the same events, so the scenario knows the KPIs.
import { seededRandom } from '@dataplat-examples/shared';

export interface ShopEvent {
  event_id: string;
  event_type: 'page_view' | 'add_to_cart' | 'order_placed';
  session_id: string;
  customer_id: number | null;
  product_id: number | null;
  /** Order total in euros (two decimals), for order_placed. */
  amount: number | null;
  occurred_at_ms: number;
}

export interface EventOptions {
  seed?: number | undefined;
  sessions?: number | undefined;
  /** Events per HTTP post. Default 250. */
  batchSize?: number | undefined;
  now?: number | undefined;
  /** Part of every batch id, so runs are told apart in Airflow's asset events. Default: base-36 time. */
  runTag?: string | undefined;
}

export interface DayKpis {
  day: string;
  sessions: number;
  page_views: number;
  add_to_carts: number;
  orders: number;
  /** Cents. */
  revenue_cents: number;
}

export function generateEvents(options: EventOptions = {}) {
  const random = seededRandom(options.seed ?? 5);
  const now = options.now ?? Math.floor(Date.now() / 60_000) * 60_000;
  const start = now - 2 * 86_400_000;
  const sessionCount = options.sessions ?? 600;
  const events: ShopEvent[] = [];
  const prices = [89, 149, 59, 120, 35, 240, 18];
  for (let index = 0; index < sessionCount; index++) {
    const session = `s-${options.seed ?? 5}-${index}`;
    const customer = random() < 0.6 ? 1 + Math.floor(random() * 200) : null;
    let at = start + Math.floor(random() * (now - start - 3_600_000));
    const event = (type: ShopEvent['event_type'], product: number | null, amount: number | null) => {
      at += 5_000 + Math.floor(random() * 60_000);
      events.push({ event_id: `e-${session}-${events.length}`, event_type: type, session_id: session, customer_id: customer, product_id: product, amount, occurred_at_ms: at });
    };
    const cart: number[] = [];
    const views = 1 + Math.floor(random() * 8);
    for (let view = 0; view < views; view++) {
      const product = 1 + Math.floor(random() * prices.length);
      event('page_view', product, null);
      if (random() < 0.18) {
        cart.push(product);
        event('add_to_cart', product, null);
      }
    }
    if (cart.length > 0 && random() < 0.45) {
      const total = cart.reduce((sum, product) => sum + prices[product - 1]!, 0);
      event('order_placed', null, total);
    }
  }
  events.sort((a, b) => a.occurred_at_ms - b.occurred_at_ms);
  const batchSize = options.batchSize ?? 250;
  const batches = [];
  const runTag = options.runTag ?? Date.now().toString(36);
  for (let from = 0; from < events.length; from += batchSize) {
    batches.push({ batch: `events${options.seed ?? 5}-${runTag}-${String(from / batchSize + 1).padStart(4, '0')}`, events: events.slice(from, from + batchSize) });
  }
  return { events, batches, kpis: dailyKpis(events) };
}

/** The KPIs per UTC day, as the Airflow DAG must compute them. */
export function dailyKpis(events: ShopEvent[]): DayKpis[] {
  const days = new Map<string, ShopEvent[]>();
  for (const event of events) {
    const day = new Date(event.occurred_at_ms).toISOString().slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), event]);
  }
  return [...days]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, dayEvents]) => ({
      day,
      sessions: new Set(dayEvents.map((event) => event.session_id)).size,
      page_views: dayEvents.filter((event) => event.event_type === 'page_view').length,
      add_to_carts: dayEvents.filter((event) => event.event_type === 'add_to_cart').length,
      orders: dayEvents.filter((event) => event.event_type === 'order_placed').length,
      revenue_cents: dayEvents.reduce((sum, event) => sum + Math.round((event.amount ?? 0) * 100), 0),
    }));
}
