// A seeded operational shop database: customers, products and 90 days of orders. The same seed and
// sizes give the same rows, so the scenario knows what the warehouse must contain.
import { seededRandom } from '@dataplat-examples/shared';

export interface Customer {
  customer_id: number;
  name: string;
  email: string;
  country: string;
  segment: 'consumer' | 'small business' | 'enterprise';
  updated_at: Date;
}

export interface Product {
  product_id: number;
  name: string;
  category: string;
  /** Euros with cents, as the numeric(10,2) column holds it. */
  unit_price: string;
  updated_at: Date;
}

export interface Order {
  order_id: number;
  customer_id: number;
  product_id: number;
  quantity: number;
  unit_price: string;
  status: 'delivered' | 'shipped' | 'cancelled' | 'returned';
  ordered_at: Date;
  updated_at: Date;
}

export interface ShopData {
  customers: Customer[];
  products: Product[];
  orders: Order[];
}

export interface ShopOptions {
  seed?: number | undefined;
  customers?: number | undefined;
  products?: number | undefined;
  orders?: number | undefined;
  /** End of the 90-day window (epoch ms). Default now, rounded down to the minute. */
  now?: number | undefined;
}

const countries = ['BE', 'FR', 'DE', 'NL', 'PT', 'PL', 'ES', 'IT'];
const segments: Customer['segment'][] = ['consumer', 'consumer', 'consumer', 'small business', 'enterprise'];
const catalog: Array<[string, string[], number]> = [
  ['sensors', ['PM2.5 sensor', 'CO2 monitor', 'Weather station', 'Noise meter'], 89],
  ['networking', ['LoRa gateway', 'LTE modem', 'Mesh node'], 149],
  ['power', ['Solar panel kit', 'Battery pack', 'Power supply'], 59],
  ['services', ['Calibration', 'Installation', 'Data plan (year)'], 120],
];
const statuses: Array<[Order['status'], number]> = [
  ['delivered', 0.78],
  ['shipped', 0.1],
  ['cancelled', 0.07],
  ['returned', 0.05],
];

export function generateShop(options: ShopOptions = {}): ShopData {
  const random = seededRandom(options.seed ?? 11);
  const now = options.now ?? Math.floor(Date.now() / 60_000) * 60_000;
  const start = now - 90 * 86_400_000;
  const pick = <Item>(items: readonly Item[]) => items[Math.floor(random() * items.length)]!;

  const customers: Customer[] = Array.from({ length: options.customers ?? 200 }, (_, index) => ({
    customer_id: index + 1,
    name: `Customer ${index + 1}`,
    email: `customer${index + 1}@example.com`,
    country: pick(countries),
    segment: pick(segments),
    updated_at: new Date(start - 86_400_000),
  }));
  const products: Product[] = [];
  for (const [category, names, basePrice] of catalog) {
    for (const name of names) {
      if (products.length >= (options.products ?? 13)) break;
      products.push({ product_id: products.length + 1, name, category, unit_price: (basePrice * (0.7 + random() * 0.6)).toFixed(2), updated_at: new Date(start - 86_400_000) });
    }
  }
  const orderCount = options.orders ?? 5000;
  const orders: Order[] = Array.from({ length: orderCount }, (_, index) => {
    const product = pick(products);
    const orderedAt = new Date(start + Math.floor(((index + random()) / orderCount) * (now - start)));
    let roll = random();
    const status = statuses.find(([, share]) => (roll -= share) < 0)?.[0] ?? 'delivered';
    return {
      order_id: 100_000 + index,
      customer_id: pick(customers).customer_id,
      product_id: product.product_id,
      quantity: 1 + Math.floor(random() ** 3 * 10),
      unit_price: product.unit_price,
      status,
      ordered_at: orderedAt,
      updated_at: orderedAt,
    };
  });
  return { customers, products, orders };
}

/** Revenue of an order in cents (exact: prices are decimal strings). */
export function revenueCents(order: Pick<Order, 'quantity' | 'unit_price'>): number {
  return order.quantity * Math.round(Number(order.unit_price) * 100);
}
