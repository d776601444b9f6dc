// A real application end to end: Fauna's "zero to document-relational" webinar demo,
// github.com/fauna-labs/zero-to-docrel-demo. Its schema (main.fsl @6513759: four collections
// with `history_days 0`, an index of orders by status, a customer role whose members read only
// their own customer document), its seeding script (scripts/run.js and scripts/data.js
// @022dec6: create with given ids, then turn id strings into references, `Time()` and
// `Object.assign`), its queries (query1-5.js @022dec6: projections through references, a cart
// checkout that aborts on insufficient stock, credentials and login, a customer's token), its
// streams (streaming1.js @24985be, streaming2.js @352a706) and its FSL demo (fsl-demo/main.fsl
// @cd3e153: unique, short-lambda check and computed field), pushed with the published `fauna`
// CLI and driven through the `fauna` driver. Data and queries are recreated here, not copied;
// expected errors follow core (ConstraintFailure messages, abort → "Query aborted.").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NullDocument, TimeStub, fql, type Client, type QueryValue } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data } from './identity-helpers';
import { aborts, FaunaCli, violates } from './app-helpers';
import { collect } from './events-helpers';

const ADMIN = 'secret:docrel:admin';
const FSL_ADMIN = 'secret:docrel_fsl:admin';

const ROLE_FSL = `role customerRole {
  membership customer

  privileges order {
    read
  }

  privileges product {
    read
  }

  privileges customer {
    read {
      predicate (self => {
        self == Query.identity()
      })
    }
  }
}
`;

const MAIN_FSL = `collection customer {
  history_days 0
}

collection store {
  history_days 0
}

collection product {
  history_days 0
}

collection order {
  history_days 0

  index byStatus {
    terms [.status]
  }
}

${ROLE_FSL}`;

// fsl-demo/main.fsl: product gains an index, a unique name, a check written as a short lambda
// and a computed field (whose body reads `backorderedLimit`, a name the data spells
// `backorderLimit`: the field is then `x.quantity < null`, false).
const FSL_DEMO = MAIN_FSL.replace(`collection product {
  history_days 0
}`, `collection product {
  history_days 0

  index byName {
    terms [.name]
  }
  unique [.name]

  check notNegativeQty(.quantity >= 0)

  compute backordered = (
    x => {
      if (x.quantity < x.backorderedLimit) {
        true
      } else {
        false
      }
    }
  )
}`);

// scripts/data.js, abridged where nothing depends on it (addresses, cards).
const addr = (street: string, zipCode: string) => ({ street, city: 'Washington', state: 'DC', zipCode });
const CUSTOMERS = [
  { id: '101', firstName: 'Alice', lastName: 'Appleseed', address: addr('87856 Mendota Court', '20220') },
  { id: '102', firstName: 'Bob', lastName: 'Brown', address: addr('72 Waxwing Terrace', '20002') },
  { id: '103', firstName: 'Carol', lastName: 'Clark', address: addr('5 Troy Trail', '20220') },
];
const STORES = [
  { id: '301', name: 'DC Fruits' }, { id: '302', name: 'Party Supplies' }, { id: '303', name: 'Foggy Bottom Market' },
];
const product = (id: string, name: string, price: number, quantity: number, store: string, backorderLimit: number) =>
  ({ id, name, price, quantity, store, backorderLimit, backordered: false });
const PRODUCTS = [
  product('201', 'cups', 6.98, 100, '302', 5), product('202', 'pinata', 24.99, 20, '302', 10),
  product('203', 'pizza', 4.99, 100, '303', 15), product('204', 'avocados', 3.99, 1000, '301', 15),
  product('205', 'limes', 0.35, 1000, '301', 15), product('206', 'limes', 3.49, 50, '301', 15),
  product('207', 'limes', 2.99, 30, '303', 15), product('208', 'cilantro', 1.49, 100, '301', 15),
  product('209', 'pinata', 23.99, 10, '302', 10),
];
const line = (p: string, quantity: number, price: number) => ({ product: p, quantity, price });
const order = (id: string, customer: string, orderProducts: object[], status: string) =>
  ({ id, name: `Order ${id}`, customer, orderProducts, status, creationDate: '2022-06-08T16:24:53.202530Z' });
const ORDERS = [
  order('1001', '103', [line('201', 25, 6.98), line('203', 10, 4.99)], 'complete'),
  order('1002', '102', [line('203', 15, 4.99), line('202', 45, 24.99)], 'processing'),
  order('1003', '101', [line('204', 10, 3.99), line('206', 5, 3.49), line('208', 20, 1.49)], 'processing'),
];

/** scripts/run.js createDocument: create the collection if missing, then each absent document. */
async function createDocuments(client: Client, collection: string, docs: QueryValue[]): Promise<unknown> {
  await data(client, fql`
    let createColl = Collection.byName(${collection}) == null
    if (createColl) {
      Collection.create({ name: ${collection} })
    }`);
  const coll = fql([collection] as unknown as TemplateStringsArray);
  let postProcess = fql`newdoc.id`;
  if (collection === 'product') {
    postProcess = fql`${coll}.byId(newdoc.id).update({ store: store.byId(newdoc.store) })`;
  } else if (collection === 'order') {
    postProcess = fql`
      ${coll}.byId(newdoc.id).update({
        customer: customer.byId(newdoc.customer),
        creationDate: Time(newdoc.creationDate),
        orderProducts: newdoc.orderProducts.map(x=>{
          Object.assign(x, { product: product.byId(x.product) })
        })
      })`;
  }
  return data(client, fql`
    ${docs}.map(x=>{
      if (!${coll}.byId(x.id).exists()) {
        let newdoc = ${coll}.create(x)
        ${postProcess}
      }
    })`);
}

// query1.js (and query5.js with a customer's token).
const PROCESSING = fql`
  order.byStatus("processing") {
    id,
    status,
    customer {
      firstName,
      lastName
    }
  }`;

// query2.js: check out a cart, decrementing stock, then create the order.
const checkout = (customerId: string, cart: { productId: string; quantity: number }[]) => fql`
  ${cart}.forEach(x=>{
    let p = product.byId(x.productId)
    let updatedQty = p.quantity - x.quantity

    if (updatedQty < 0) {
      abort("Insufficient stock for product " + p.name + ": Requested quantity=" + x.quantity)
    } else {
      p.update({
        quantity: updatedQty,
        backordered: p.backorderLimit > updatedQty
      })
    }
  })

  let newId = newId().toString()
  order.create({
    id: newId,
    name: "Order " + newId,
    customer: customer.byId(${customerId}),
    creationDate: Time.now(),
    status: 'processing',
    orderProducts: ${cart}.map(x=>{
      product: product.byId(x.productId),
      quantity: x.quantity,
      price: product.byId(x.productId).price
    })
  }) {
    id,
    creationDate
  }`;

const CART = [{ productId: '201', quantity: 10 }, { productId: '202', quantity: 11 }];

describe('app: zero-to-docrel demo (references, checkout, customer role, streams, FSL demo)', () => {
  let server: TestServer;
  let clients: Clients;
  let cli: FaunaCli;
  let admin: Client;
  let newOrder: string;

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    cli = new FaunaCli(server.url);
    await data(clients.as('secret'), fql`Database.create({ name: "docrel" }); Database.create({ name: "docrel_fsl" })`);
    admin = clients.as(ADMIN);
  });
  after(async () => {
    clients.close();
    await server?.dispose();
    cli?.dispose();
  });

  it('pushes main.fsl and seeds the demo data the way scripts/run.js does', async () => {
    cli.writeSchema({ 'main.fsl': MAIN_FSL });
    const pushed = await cli.run(['schema', 'push', '--dir', cli.schemaDir, '--no-input', '--active'], ADMIN);
    assert.equal(pushed.code, 0, pushed.out);
    assert.deepEqual(await createDocuments(admin, 'customer', CUSTOMERS), ['101', '102', '103']);
    assert.deepEqual(await createDocuments(admin, 'store', STORES), ['301', '302', '303']);
    assert.equal((await createDocuments(admin, 'product', PRODUCTS) as unknown[]).length, 9);
    assert.equal((await createDocuments(admin, 'order', ORDERS) as unknown[]).length, 3);
    // Run again: every document exists, nothing is created.
    assert.deepEqual(await createDocuments(admin, 'customer', CUSTOMERS), [null, null, null]);

    const o = await data(admin, fql`order.byId("1003")!`);
    assert.ok(o.creationDate instanceof TimeStub);
    assert.equal(o.creationDate.isoString, '2022-06-08T16:24:53.202530Z');
    assert.deepEqual(await data(admin, fql`order.byId("1003")! {
      customer { firstName },
      orderProducts { product { name, store { name } }, quantity }
    }`), {
      customer: { firstName: 'Alice' },
      orderProducts: [
        { product: { name: 'avocados', store: { name: 'DC Fruits' } }, quantity: 10 },
        { product: { name: 'limes', store: { name: 'DC Fruits' } }, quantity: 5 },
        { product: { name: 'cilantro', store: { name: 'DC Fruits' } }, quantity: 20 },
      ],
    });
  });

  it('lists processing orders with their customers through the reference (query1.js)', async () => {
    // Index entries without values are ordered by document id.
    assert.deepEqual((await data(admin, PROCESSING)).data, [
      { id: '1002', status: 'processing', customer: { firstName: 'Bob', lastName: 'Brown' } },
      { id: '1003', status: 'processing', customer: { firstName: 'Alice', lastName: 'Appleseed' } },
    ]);
  });

  it('checks out a cart, and aborts without writing when stock runs out (query2.js)', async () => {
    const placed = await data(admin, checkout('101', CART));
    assert.deepEqual(Object.keys(placed), ['id', 'creationDate']);
    assert.match(placed.id, /^\d+$/);
    newOrder = placed.id;
    assert.deepEqual(await data(admin, fql`["201", "202"].map(id => product.byId(id)! { quantity, backordered })`),
      [{ quantity: 90, backordered: false }, { quantity: 9, backordered: true }]);
    assert.deepEqual(await data(admin, fql`order.byId(${newOrder})! { name, status, customer { firstName }, orderProducts { product { name }, quantity, price } }`), {
      name: `Order ${newOrder}`, status: 'processing', customer: { firstName: 'Alice' },
      orderProducts: [{ product: { name: 'cups' }, quantity: 10, price: 6.98 }, { product: { name: 'pinata' }, quantity: 11, price: 24.99 }],
    });

    // Only 9 pinatas are left: the second checkout aborts, and its update of the cups is undone.
    await aborts(admin, checkout('101', CART), 'Insufficient stock for product pinata: Requested quantity=11');
    assert.deepEqual(await data(admin, fql`["201", "202"].map(id => product.byId(id)!.quantity)`), [90, 9]);
    assert.equal(await data(admin, fql`order.all().count()`), 4);
  });

  it('logs a customer in with credentials; the token reads only its own customer (query3-5.js)', async () => {
    const cred = await data(admin, fql`Credentials.create({ document: customer.byId("101"), password: "Fauna123" })`);
    assert.equal(cred.document.id, '101');
    const token = await data(admin, fql`Credentials.byDocument(customer.byId("101")).login("Fauna123")`);
    assert.equal(typeof token.secret, 'string');
    const login = await data(admin, fql`Credentials.byDocument(customer.byId(${'101'})).login(${'Fauna123'}) { secret }`);
    assert.deepEqual(Object.keys(login), ['secret']);

    const alice = clients.as(login.secret);
    const page = (await data(alice, PROCESSING)).data;
    assert.deepEqual(page.map((o: any) => o.id), ['1002', '1003', newOrder]);
    // Bob's customer document is not Alice's to read: the projection meets a null document.
    assert.ok(page[0].customer instanceof NullDocument);
    assert.equal(page[0].customer.cause, 'permission denied');
    assert.deepEqual(page.slice(1).map((o: any) => o.customer), [
      { firstName: 'Alice', lastName: 'Appleseed' }, { firstName: 'Alice', lastName: 'Appleseed' },
    ]);
    assert.deepEqual(await data(alice, fql`customer.all().map(.firstName).toArray()`), ['Alice']);
    assert.deepEqual(await data(alice, fql`product.byId("205")! { name, price }`), { name: 'limes', price: 0.35 });
    await assert.rejects(alice.query(fql`order.byId("1002")!.update({ status: "complete" })`), { code: 'permission_denied' });
  });

  it('streams orders entering and leaving the active set, after an initial page (streaming1/2.js)', async () => {
    const start = await data(admin, fql`
      let set = order.where(.status=="active" || .status=="processing")
      {
        initialPage: set.pageSize(10),
        streamToken: set.toStream()
      }`);
    assert.deepEqual(start.initialPage.data.map((o: any) => o.id), ['1002', '1003', newOrder]);
    assert.equal(start.initialPage.after, undefined);
    // status_events: the driver yields a first event once the stream has started, after which
    // every write is seen (the app's `.on("start")` handler of chat-app-streaming waits the same).
    const stream = collect(admin, start.streamToken, { status_events: true });
    try {
      await stream.take(1);
      await data(admin, fql`product.byId("202")!.update({ quantity: 50 })`);
      const placed = await data(admin, checkout('102', [{ productId: '202', quantity: 1 }]));
      await data(admin, fql`order.byId("1002")!.update({ status: "complete" })`);
      await data(admin, fql`order.byId("1003")!.update({ status: "active" })`);
      const changes = () => stream.events.filter((e) => e.type !== 'start' && e.type !== 'status');
      await stream.until(() => changes().length >= 3, '3 change events');
      assert.deepEqual(changes().map((e) => [e.type, e.data.id, e.data.status]), [
        // A remove shows the document as it was before it left the set.
        ['add', placed.id, 'processing'], ['remove', '1002', 'processing'], ['update', '1003', 'active'],
      ]);
    } finally {
      stream.close();
    }
  });

  it('enforces the FSL demo\'s unique name, short-lambda check and computed field (fsl-demo/main.fsl)', async () => {
    const owner = clients.as(FSL_ADMIN);
    cli.writeSchema({ 'main.fsl': FSL_DEMO });
    const pushed = await cli.run(['schema', 'push', '--dir', cli.schemaDir, '--no-input', '--active'], FSL_ADMIN);
    assert.equal(pushed.code, 0, pushed.out);
    assert.deepEqual(await data(owner, fql`product.definition.constraints`), [
      { unique: ['.name'], status: 'active' }, { check: { name: 'notNegativeQty', body: '(.quantity >= 0)' } },
    ]);

    // data.js sets `backordered`, now a computed field.
    await violates(owner, fql`product.create(${PRODUCTS[0]})`, 'Failed to create document in collection `product`.',
      [{ message: 'Cannot write to a computed field', paths: [['backordered']] }]);
    const seeded = PRODUCTS.map(({ backordered: _, ...p }) => p);
    assert.deepEqual(await data(owner, fql`${seeded.slice(0, 5)}.map(x => product.create(x) { name, backordered })`), [
      { name: 'cups', backordered: false }, { name: 'pinata', backordered: false }, { name: 'pizza', backordered: false },
      { name: 'avocados', backordered: false }, { name: 'limes', backordered: false },
    ]);
    // The other limes and pinata of data.js break the unique name.
    await violates(owner, fql`product.create(${seeded[5]})`, 'Failed unique constraint.',
      [{ message: 'Failed unique constraint', paths: [['name']] }]);
    await violates(owner, fql`product.byName("cups").first()!.update({ quantity: -1 })`,
      'Failed to update document with id 201 in collection `product`.',
      [{ message: 'Document failed check constraint `notNegativeQty`', paths: [] }]);
    // With the limit the computed field reads, the field computes.
    assert.equal(await data(owner, fql`product.byId("202")!.update({ backorderedLimit: 25 }).backordered`), true);
    assert.deepEqual(await data(owner, fql`product.byName("pinata") { id, quantity }`).then((p) => p.data), [{ id: '202', quantity: 20 }]);
  });
});
