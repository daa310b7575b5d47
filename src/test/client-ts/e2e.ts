// End to end through the client generated from /q/openapi (GeneratedClientTest runs it): provision a
// tenant, create products, a customer and an order, walk the order to delivered, read its events, and
// see a 409 and a 412 arrive as typed problems. Any failure exits non-zero with the reason.
import {
  Configuration, CustomersApi, OrdersApi, PlatformAdministrationApi, Problem, ProblemFromJSON, ProductsApi, ResponseError,
} from './generated';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const base = env('TESSERA_BASE_URL');
const slug = env('TESSERA_SLUG');
const config = (token: string) => new Configuration({ basePath: base, accessToken: async () => token });

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`expected ${what}`);
}

async function problemOf(call: Promise<unknown>): Promise<Problem> {
  try {
    await call;
  } catch (e) {
    if (e instanceof ResponseError) {
      check(e.response.headers.get('content-type')?.startsWith('application/problem+json') ?? false, 'problem+json');
      return ProblemFromJSON(await e.response.json());
    }
    throw e;
  }
  throw new Error('expected a problem, the call succeeded');
}

async function main(): Promise<void> {
  const admin = new PlatformAdministrationApi(config(env('TESSERA_PLATFORM_TOKEN')));
  const tenant = await admin.createTenant({ createTenant: { slug, name: `Client ${slug}` } });
  check(tenant.slug === slug && tenant.state === 'ACTIVE', `an active tenant ${slug}, got ${JSON.stringify(tenant)}`);

  const member = config(env('TESSERA_MEMBER_TOKEN'));
  const products = new ProductsApi(member);
  const mug = await products.createProduct({ createProduct: { sku: 'MUG-1', name: 'Mug', price: 9.99, currency: 'EUR' } });
  const tea = await products.createProduct({ createProduct: { sku: 'TEA-1', name: 'Tea', price: 0.5, currency: 'EUR' } });
  const customer = await new CustomersApi(member).createCustomer({
    createCustomer: { displayName: 'Ada', email: `ada@${slug}.example` },
  });

  const orders = new OrdersApi(member);
  const created = await orders.createOrderRaw({ createOrder: { currency: 'EUR', customerId: customer.id } });
  check(created.raw.status === 201 && created.raw.headers.get('ETag') === '"1"', '201 with ETag "1"');
  const id = (await created.value()).id!;
  await orders.addOrderItem({ id, addItem: { productId: mug.id!, quantity: 3 } });
  const withTea = await orders.addOrderItem({ id, addItem: { productId: tea.id!, quantity: 1 }, ifMatch: '"2"' });
  check(withTea.total === '30.47' && withTea.version === 3, `total 30.47 at version 3, got ${withTea.total}`);
  await orders.placeOrder({ id, idempotencyKey: `place-${id}` });
  await orders.payOrder({ id });
  await orders.shipOrder({ id, ship: { trackingNumber: 'TRK-1' } });
  const delivered = await orders.deliverOrder({ id });
  check(delivered.status === 'DELIVERED' && delivered.version === 7, `DELIVERED at version 7, got ${delivered.status}`);

  const events = await orders.listOrderEvents({ id });
  const types = (events.items ?? []).map((e) => e.type);
  check(JSON.stringify(types) === JSON.stringify(['OrderCreated', 'ItemAdded', 'ItemAdded', 'OrderPlaced',
    'PaymentCaptured', 'OrderShipped', 'OrderDelivered']), `the seven events in order, got ${types}`);

  const conflict = await problemOf(orders.payOrder({ id }));
  check(conflict.status === 409 && conflict.type === 'https://tessera.dev/problems/order-not-placed',
    `409 order-not-placed, got ${JSON.stringify(conflict)}`);
  const draft = await orders.createOrder({ createOrder: { currency: 'EUR' } });
  const stale = await problemOf(orders.addOrderItem({ id: draft.id!, addItem: { productId: mug.id!, quantity: 1 }, ifMatch: '"7"' }));
  check(stale.status === 412 && stale.type === 'https://tessera.dev/problems/precondition-failed',
    `412 precondition-failed, got ${JSON.stringify(stale)}`);
  console.log(`client e2e ok: order ${id} delivered, 409 ${conflict.type}, 412 ${stale.type}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
