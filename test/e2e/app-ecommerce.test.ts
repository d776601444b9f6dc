// A real application end to end: the e-commerce schema of Fauna's published sample app
// (github.com/fauna/js-sample-app server/schema/collections.fsl and functions.fsl, same as
// fauna/java-sample-app schema/*.fsl), with the customer role of the FSL role reference
// (docs.fauna.com/fauna/current/reference/fsl/role: membership, read predicates on
// `Query.identity()`, call predicates) and login through credentials. The schema is pushed with
// the published `fauna` CLI; the app then talks to the server through the `fauna` driver only:
// seed products as the server, sign customers up, log them in and shop with their tokens.
// Expected errors follow core (ext/api .../fql2: ConstraintFailure.scala messages,
// FQLInterpreter "Null value, due to permission denied", abort → "Query aborted.").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError, NullDocument, fql, type Client } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';
import { Clients, data, fails, PERMISSION_DENIED } from './identity-helpers';
import { aborts, FaunaCli, violates } from './app-helpers';

const ADMIN = 'secret:shop:admin';

// collections.fsl of the sample app, with a nested optional address, a literal-union field with
// a default and a few more defaults (description, stock, tags, payment).
const COLLECTIONS_FSL = `collection Customer {
  name: String
  email: String
  address: {
    street: String,
    city: String,
    postalCode: String,
    country: String
  }?
  tier: "standard" | "gold" = "standard"

  // Use a computed field to get the set of Orders for a customer.
  compute orders: Set<Order> = (customer => Order.byCustomer(customer))

  // Use a unique constraint to ensure no two customers have the same email.
  unique [.email]

  index byEmail {
    terms [.email]
  }
}

collection Product {
  name: String
  description: String = ""
  // Use an Integer to represent cents.
  price: Int
  stock: Int = 0
  tags: Array<String> = []

  unique [.name]
  check stockIsValid (product => product.stock >= 0)
  check priceIsValid (product => product.price > 0)

  index byName {
    terms [.name]
  }

  index sortedByPriceLowToHigh {
    values [.price, .name]
  }
}

collection Order {
  customer: Ref<Customer>
  status: "cart" | "processing" | "shipped" | "delivered" = "cart"
  createdAt: Time
  payment: { *: Any } = {}

  compute items: Set<OrderItem> = (order => OrderItem.byOrder(order))
  compute total: Number = (order => order.items.fold(0, (sum, item) => sum + item.product!.price * item.quantity))

  // All orders of a customer, newest first.
  index byCustomer {
    terms [.customer]
    values [desc(.createdAt), .status]
  }

  index byCustomerAndStatus {
    terms [.customer, .status]
  }
}

collection OrderItem {
  order: Ref<Order>
  product: Ref<Product>
  quantity: Int

  unique [.order, .product]
  check positiveQuantity (item => item.quantity > 0)

  index byOrder {
    terms [.order]
    values [.product, .quantity]
  }

  index byOrderAndProduct {
    terms [.order, .product]
  }
}
`;

// functions.fsl: createOrder and addItem run with the caller's privileges (so the role's
// predicates apply); checkout runs as server because it decrements stock.
const FUNCTIONS_FSL = `function createOrder() {
  let customer: Any = Query.identity()
  if (Order.byCustomerAndStatus(customer, "cart").nonEmpty()) {
    abort("Customer already has an open cart.")
  }
  Order.create({ customer: customer, createdAt: Time.now() })
}

function addItem(orderId, productName, quantity) {
  let order: Any = Order.byId(orderId)!
  let product: Any = Product.byName(productName).first()
  if (product == null) {
    abort("Product does not exist.")
  }
  if (quantity <= 0) {
    abort("Quantity must be a positive integer.")
  }
  if (product.stock < quantity) {
    abort("Product does not have the requested quantity in stock.")
  }
  let item: Any = OrderItem.byOrderAndProduct(order, product).first()
  if (item == null) {
    OrderItem.create({ order: order, product: product, quantity: quantity })
  } else {
    item.update({ quantity: quantity })
  }
}

@role(server)
function checkout(orderId, payment) {
  let order: Any = Order.byId(orderId)!
  if (order.status != "cart") {
    abort("Order is not a cart.")
  }
  let items = OrderItem.byOrder(order).toArray()
  if (items.isEmpty()) {
    abort("Order must have at least one item.")
  }
  items.forEach(item => {
    let product: Any = item.product
    if (product.stock < item.quantity) {
      abort("#{product.name} does not have the requested quantity in stock.")
    }
  })
  items.forEach(item => {
    let product: Any = item.product
    product.update({ stock: product.stock - item.quantity })
  })
  order.update({ status: "processing", payment: payment })
}
`;

// roles.fsl: least privilege for a logged-in customer.
const ROLES_FSL = `role customer {
  membership Customer

  privileges Customer {
    read {
      predicate (customer => customer == Query.identity())
    }
  }
  privileges Product {
    read
  }
  privileges Order {
    read {
      predicate (order => order.customer == Query.identity())
    }
    create {
      predicate (order => order.customer == Query.identity())
    }
    write {
      predicate ((oldOrder, newOrder) => oldOrder.customer == Query.identity() && newOrder.customer == Query.identity() && oldOrder.status == "cart")
    }
  }
  privileges OrderItem {
    read {
      predicate (item => item.order.customer == Query.identity())
    }
    create {
      predicate (item => item.order.customer == Query.identity() && item.order.status == "cart")
    }
    write {
      predicate ((oldItem, newItem) => oldItem.order.customer == Query.identity() && oldItem.order == newItem.order && oldItem.order.status == "cart")
    }
  }
  privileges createOrder {
    call
  }
  privileges addItem {
    call
  }
  privileges checkout {
    call {
      predicate ((orderId, payment) => Order.byId(orderId)!.customer == Query.identity())
    }
  }
}
`;

const ALICE_ADDRESS = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('app: e-commerce (Fauna sample app schema, customer role, credentials)', () => {
  let server: TestServer;
  let clients: Clients;
  let cli: FaunaCli;
  let admin: Client;
  /** Customers' tokens, after login. */
  let alice: Client;
  let bob: Client;
  let aliceId: string;
  /** Alice's first order. */
  let orderId: string;

  before(async () => {
    server = await startServer();
    clients = new Clients(server);
    cli = new FaunaCli(server.url);
    // Typechecking off, as in Fauna's local container: the functions read fields of `Any`.
    await clients.as('secret').query(fql`Database.create({ name: "shop", typechecked: false })`);
    admin = clients.as(ADMIN);
    cli.writeSchema({ 'collections.fsl': COLLECTIONS_FSL, 'functions.fsl': FUNCTIONS_FSL, 'roles.fsl': ROLES_FSL });
  });
  after(async () => {
    clients.close();
    await server?.dispose();
    cli?.dispose();
  });

  it('pushes the schema with the fauna CLI, then commits it', async () => {
    const pushed = await cli.run(['schema', 'push', '--dir', cli.schemaDir, '--no-input'], ADMIN);
    assert.equal(pushed.code, 0, pushed.out);
    const status = await cli.run(['schema', 'status', '--dir', cli.schemaDir], ADMIN);
    assert.match(status.out, /Staged changes: ready/);
    assert.match(status.out, /\* Adding collection `OrderItem` to collections\.fsl:\d+:1/);
    assert.match(status.out, /\* Adding function `checkout` to functions\.fsl:\d+:1/);
    assert.match(status.out, /\* Adding role `customer` to roles\.fsl:1:1/);
    const committed = await cli.run(['schema', 'commit', '--no-input'], ADMIN);
    assert.equal(committed.code, 0, committed.out);

    assert.deepEqual(await data(admin, fql`Collection.all().map(.name).toArray().order()`), ['Customer', 'Order', 'OrderItem', 'Product']);
    assert.deepEqual(await data(admin, fql`Function.all().map(f => [f.name, f.role]).toArray().order()`),
      [['addItem', null], ['checkout', 'server'], ['createOrder', null]]);
    assert.deepEqual(await data(admin, fql`Role.byName("customer")!.membership`), [{ resource: 'Customer' }]);
    assert.deepEqual(await data(admin, fql`Order.definition.indexes.byCustomer.values`),
      [{ field: '.createdAt', order: 'desc' }, { field: '.status', order: 'asc' }]);
    assert.deepEqual(await data(admin, fql`Product.definition.constraints.map(c => c.check?.name ?? c.unique)`),
      [['.name'], 'stockIsValid', 'priceIsValid']);
  });

  it('seeds products: defaults fill missing fields; types, checks and uniqueness are enforced', async () => {
    const seeded = await data(admin, fql`[
      Product.create({ name: "Pizza", description: "Frozen pizza", price: 500, stock: 10, tags: ["food"] }),
      Product.create({ name: "Cups", price: 200, stock: 3 }),
      Product.create({ name: "Lava Lamp", price: 2500, stock: 1 }),
      Product.create({ name: "Avocados", price: 150, stock: 100 }),
      Product.create({ name: "Poster", price: 900 })
    ].map(p => [p.name, p.description, p.price, p.stock, p.tags])`);
    assert.deepEqual(seeded, [
      ['Pizza', 'Frozen pizza', 500, 10, ['food']],
      ['Cups', '', 200, 3, []],
      ['Lava Lamp', '', 2500, 1, []],
      ['Avocados', '', 150, 100, []],
      ['Poster', '', 900, 0, []],
    ]);

    await violates(admin, fql`Product.create({ name: "Free", price: 0, stock: 1 })`,
      'Failed to create document in collection `Product`.', [{ message: 'Document failed check constraint `priceIsValid`', paths: [] }]);
    // Updates are checked too (the top-level message of a failed update: todo step below).
    await violates(admin, fql`Product.byName("Cups").first()!.update({ stock: -1 })`,
      null, [{ message: 'Document failed check constraint `stockIsValid`', paths: [] }]);
    // Defaults fill a replaced document too, but never an update (core FQL2 schema spec,
    // "defaults will be inserted on replace" / "... not be inserted on update").
    assert.deepEqual(await data(admin, fql`Product.byName("Poster").first()!.replace({ name: "Poster", price: 950 }) { price, stock, description, tags }`),
      { price: 950, stock: 0, description: '', tags: [] });
    await violates(admin, fql`Product.byName("Poster").first()!.update({ description: null })`,
      null, [{ message: 'Missing required field of type String', paths: [['description']] }]);
    await violates(admin, fql`Product.create({ name: "Pizza", price: 100 })`,
      'Failed unique constraint.', [{ message: 'Failed unique constraint', paths: [['name']] }]);
    await violates(admin, fql`Product.create({ name: "Mug", price: "ten" })`,
      'Failed to create document in collection `Product`.', [{ message: 'Expected Int, provided String', paths: [['price']] }]);
    await violates(admin, fql`Product.create({ name: "Mug" })`,
      'Failed to create document in collection `Product`.', [{ message: 'Missing required field of type Int', paths: [['price']] }]);
    assert.equal(await data(admin, fql`Product.all().count()`), 5);
  });

  it('names the document in the message of a failed update or replace', async () => {
    // core FQL2 schema spec: "Failed to update document with id 0 in collection `User`.", for
    // replace as well.
    const id = await data<string>(admin, fql`Product.byName("Cups").first()!.id`);
    await violates(admin, fql`Product.byId(${id})!.update({ stock: -1 })`,
      `Failed to update document with id ${id} in collection \`Product\`.`, [{ message: 'Document failed check constraint `stockIsValid`', paths: [] }]);
    await violates(admin, fql`Product.byId(${id})!.replace({ name: "Cups", price: 0 })`,
      `Failed to update document with id ${id} in collection \`Product\`.`, [{ message: 'Document failed check constraint `priceIsValid`', paths: [] }]);
  });

  it('lists products by price through an index with values, page by page', async () => {
    const first = await data(admin, fql`Product.sortedByPriceLowToHigh().pageSize(2) { name, price }`);
    assert.deepEqual(first.data, [{ name: 'Avocados', price: 150 }, { name: 'Cups', price: 200 }]);
    const second = await data(admin, fql`Set.paginate(${first.after})`);
    assert.deepEqual(second.data, [{ name: 'Pizza', price: 500 }, { name: 'Poster', price: 950 }]);
    const last = await data(admin, fql`Set.paginate(${second.after})`);
    assert.deepEqual(last.data, [{ name: 'Lava Lamp', price: 2500 }]);
    assert.equal(last.after, undefined);

    // The driver's iterator follows the cursors itself.
    const pages: string[][] = [];
    for await (const page of admin.paginate<{ name: string }>(fql`Product.sortedByPriceLowToHigh().pageSize(2) { name }`)) {
      pages.push(page.map((p) => p.name));
    }
    assert.deepEqual(pages, [['Avocados', 'Cups'], ['Pizza', 'Poster'], ['Lava Lamp']]);
    // Ranges over the index's values.
    assert.deepEqual(await data(admin, fql`Product.sortedByPriceLowToHigh({ from: 200, to: 950 }).map(.name).toArray()`),
      ['Cups', 'Pizza', 'Poster']);
  });

  it('signs customers up with credentials, refuses a second account per email, and logs them in', async () => {
    const created = await data(admin, fql`
      let alice = Customer.create({ name: "Alice", email: "alice@example.com", address: ${ALICE_ADDRESS} })
      Credential.create({ document: alice, password: "alice-pw" })
      let bob = Customer.create({ name: "Bob", email: "bob@example.com", tier: "gold" })
      Credential.create({ document: bob, password: "bob-pw" })
      [alice { id, name, tier, address }, bob { name, tier, address }]`);
    aliceId = created[0].id;
    assert.deepEqual(created, [
      { id: aliceId, name: 'Alice', tier: 'standard', address: ALICE_ADDRESS },
      { name: 'Bob', tier: 'gold', address: null },
    ]);

    await violates(admin, fql`Customer.create({ name: "Eve", email: "alice@example.com" })`,
      'Failed unique constraint.', [{ message: 'Failed unique constraint', paths: [['email']] }]);
    // A string outside a union of string literals is named by its literal (core
    // SchemaType.validate/checkUnion: the provided singleton type).
    await violates(admin, fql`Customer.create({ name: "Eve", email: "eve@example.com", tier: "platinum" })`,
      'Failed to create document in collection `Customer`.', [{ message: 'Expected "standard" | "gold", provided "platinum"', paths: [['tier']] }]);
    await violates(admin, fql`Customer.create({ name: "Eve", email: "eve@example.com", tier: 1 })`,
      'Failed to create document in collection `Customer`.', [{ message: 'Expected "standard" | "gold", provided Int', paths: [['tier']] }]);
    // Nested objects and arrays are checked field by field and element by element (core
    // SchemaType.validateStruct / validateArray / checkUnion).
    await violates(admin, fql`Customer.create({ name: "Eve", email: "eve@example.com", address: { street: 1, city: "Ogdenville", postalCode: "1", country: "US" } })`,
      'Failed to create document in collection `Customer`.', [{ message: 'Expected String, provided Int', paths: [['address', 'street']] }]);
    await violates(admin, fql`Customer.create({ name: "Eve", email: "eve@example.com", address: { street: "2 Elm St", city: "Ogdenville", postalCode: "1" } })`,
      'Failed to create document in collection `Customer`.', [{ message: 'Missing required field of type String', paths: [['address', 'country']] }]);
    await violates(admin, fql`Customer.create({ name: { first: "Eve" }, email: "eve@example.com" })`,
      'Failed to create document in collection `Customer`.', [{ message: 'Expected String, provided { first: String }', paths: [['name']] }]);
    await violates(admin, fql`Product.create({ name: "Mug", price: 700, tags: ["kitchen", 2] })`,
      'Failed to create document in collection `Product`.', [{ message: 'Expected String, provided Int', paths: [['tags', 1]] }]);
    assert.equal(await data(admin, fql`Customer.all().count()`), 2);

    const login = (email: string, password: string) =>
      fql`Credential.byDocument(Customer.byEmail(${email}).first()!)!.login(${password}).secret`;
    const wrong = await fails(admin, login('alice@example.com', 'bob-pw'), 'invalid_secret');
    assert.equal(wrong.message, 'Provided secret did not match.');
    alice = clients.as(await data<string>(admin, login('alice@example.com', 'alice-pw')));
    bob = clients.as(await data<string>(admin, login('bob@example.com', 'bob-pw')));
    assert.deepEqual(await data(alice, fql`Query.identity() { name, email }`), { name: 'Alice', email: 'alice@example.com' });
  });

  it('a customer token reads the catalogue and itself, and nothing it may not', async () => {
    assert.deepEqual(await data(bob, fql`Product.byName("Cups").first() { name, price, stock }`), { name: 'Cups', price: 200, stock: 3 });
    // Other customers vanish from sets, and their documents read as null documents.
    assert.deepEqual(await data(bob, fql`Customer.all().map(.name).toArray()`), ['Bob']);
    assert.equal(await data(bob, fql`Customer.byEmail("alice@example.com").first()`), null);
    const other = await data(bob, fql`Customer.byId(${aliceId})`);
    assert.ok(other instanceof NullDocument);
    assert.equal(other.cause, 'permission denied');

    const write = await fails(bob, fql`Product.byName("Cups").first()!.update({ stock: 100 })`, 'permission_denied');
    assert.equal(write.message, PERMISSION_DENIED);
    await fails(bob, fql`Product.create({ name: "Free lunch", price: 1 })`, 'permission_denied');
    await fails(bob, fql`Customer.create({ name: "Mallory", email: "m@example.com" })`, 'permission_denied');
    // A token may read its own identity's credential, and no other (core RoleEvalContext).
    assert.deepEqual(await data(bob, fql`Credential.all().map(.document.name).toArray()`), ['Bob']);
    assert.equal(await data(admin, fql`Product.byName("Cups").first()!.stock`), 3);
  });

  it('shops as a customer: cart, items, checkout with stock checks', async () => {
    const cart = await data(alice, fql`createOrder() { id, status, total, payment, customer { name } }`);
    orderId = cart.id;
    assert.deepEqual(cart, { id: orderId, status: 'cart', total: 0, payment: {}, customer: { name: 'Alice' } });
    await aborts(alice, fql`createOrder()`, 'Customer already has an open cart.');

    assert.deepEqual(await data(alice, fql`[
      addItem(${orderId}, "Pizza", 2) { quantity },
      addItem(${orderId}, "Cups", 3) { quantity },
      addItem(${orderId}, "Pizza", 4) { quantity, product { name } }
    ]`), [{ quantity: 2 }, { quantity: 3 }, { quantity: 4, product: { name: 'Pizza' } }]);
    await aborts(alice, fql`addItem(${orderId}, "Lava Lamp", 2)`, 'Product does not have the requested quantity in stock.');
    await aborts(alice, fql`addItem(${orderId}, "Unicorn", 1)`, 'Product does not exist.');
    await aborts(alice, fql`addItem(${orderId}, "Cups", 0)`, 'Quantity must be a positive integer.');
    // Bypassing the function still meets the collection's constraints.
    await violates(alice, fql`OrderItem.create({ order: Order(${orderId}), product: Product.byName("Avocados").first(), quantity: 0 })`,
      'Failed to create document in collection `OrderItem`.', [{ message: 'Document failed check constraint `positiveQuantity`', paths: [] }]);
    await violates(alice, fql`OrderItem.create({ order: Order(${orderId}), product: Product.byName("Cups").first(), quantity: 1 })`,
      'Failed unique constraint.', [{ message: 'Failed unique constraint', paths: [['order'], ['product']] }]);

    // Computed fields: the items (index `byOrder`, in product order) and the total.
    const cartView = await data(alice, fql`Order.byId(${orderId})! { total, items { product { name }, quantity } }`);
    assert.equal(cartView.total, 4 * 500 + 3 * 200);
    assert.deepEqual(cartView.items.data, [{ product: { name: 'Pizza' }, quantity: 4 }, { product: { name: 'Cups' }, quantity: 3 }]);

    // Someone else bought cups meanwhile: checkout aborts and changes nothing.
    await data(admin, fql`Product.byName("Cups").first()!.update({ stock: 2 })`);
    await aborts(alice, fql`checkout(${orderId}, { method: "card" })`, 'Cups does not have the requested quantity in stock.');
    assert.equal(await data(alice, fql`Order.byId(${orderId})!.status`), 'cart');
    await data(admin, fql`Product.byName("Cups").first()!.update({ stock: 3 })`);

    assert.deepEqual(await data(alice, fql`checkout(${orderId}, { method: "card", last4: "4242" }) { status, payment, total }`),
      { status: 'processing', payment: { method: 'card', last4: '4242' }, total: 2600 });
    assert.deepEqual(await data(alice, fql`Product.sortedByPriceLowToHigh() { name, stock }`).then((p) => p.data), [
      { name: 'Avocados', stock: 100 }, { name: 'Cups', stock: 0 }, { name: 'Pizza', stock: 6 },
      { name: 'Poster', stock: 0 }, { name: 'Lava Lamp', stock: 1 },
    ]);
    await aborts(alice, fql`checkout(${orderId}, { method: "card" })`, 'Order is not a cart.');
    // The write predicate only lets carts change.
    await fails(alice, fql`Order.byId(${orderId})!.update({ status: "delivered" })`, 'permission_denied');
    await fails(alice, fql`OrderItem.byOrder(Order(${orderId})).first()!.update({ quantity: 1 })`, 'permission_denied');
  });

  it('keeps other customers out of an order', async () => {
    const seen = await data(bob, fql`Order.byId(${orderId})`);
    assert.ok(seen instanceof NullDocument);
    assert.equal(seen.cause, 'permission denied');
    assert.equal(await data(bob, fql`Order.all().count()`), 0);
    assert.equal(await data(bob, fql`OrderItem.all().count()`), 0);
    const call = await fails(bob, fql`checkout(${orderId}, { method: "stolen card" })`, 'permission_denied');
    assert.equal(call.message, PERMISSION_DENIED);
    await fails(bob, fql`OrderItem.create({ order: Order(${orderId}), product: Product.byName("Avocados").first(), quantity: 1 })`, 'permission_denied');
    await fails(bob, fql`Order.create({ customer: Customer(${aliceId}), createdAt: Time.now() })`, 'permission_denied');
    assert.equal(await data(admin, fql`OrderItem.all().count()`), 2);
  });

  it('reading a forbidden order with `!` is a null_value due to permission denied', async () => {
    const e = await fails(bob, fql`Order.byId(${orderId})!.status`, 'null_value');
    assert.equal(e.message, 'Null value, due to permission denied');
    const inUdf = await fails(bob, fql`addItem(${orderId}, "Avocados", 1)`, 'null_value');
    assert.equal(inUdf.message, 'Null value, due to permission denied');
  });

  it('lists a customer\'s orders newest first, page by page', async () => {
    await data(alice, fql`createOrder()`);
    const first = await data(alice, fql`Order.byCustomer(Query.identity()).pageSize(1) { status }`);
    assert.deepEqual(first.data, [{ status: 'cart' }]);
    const next = await data(alice, fql`Set.paginate(${first.after})`);
    assert.deepEqual(next.data, [{ status: 'processing' }]);
    assert.equal(next.after, undefined);
    // The computed field over the same index.
    assert.deepEqual(await data(alice, fql`Query.identity()!.orders.map(.status).toArray()`), ['cart', 'processing']);
    assert.deepEqual(await data(bob, fql`Order.byCustomer(Customer(${aliceId})).count()`), 0);
  });

  it('sells the last item once when two customers check out at the same time', async () => {
    const aliceCart = await data<string>(alice, fql`Order.byCustomerAndStatus(Query.identity(), "cart").first()!.id`);
    const bobCart = await data<string>(bob, fql`createOrder().id`);
    await data(alice, fql`addItem(${aliceCart}, "Lava Lamp", 1)`);
    await data(bob, fql`addItem(${bobCart}, "Lava Lamp", 1)`);
    const race = await Promise.allSettled([
      alice.query(fql`checkout(${aliceCart}, { method: "card" }).status`),
      bob.query(fql`checkout(${bobCart}, { method: "card" }).status`),
    ]);
    assert.deepEqual(race.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    for (const r of race) {
      if (r.status === 'rejected') assert.equal((r.reason as AbortError).abort, 'Lava Lamp does not have the requested quantity in stock.');
    }
    assert.equal(await data(admin, fql`Product.byName("Lava Lamp").first()!.stock`), 0);
    assert.deepEqual(await data(admin, fql`Order.all().map(.status).toArray().order()`), ['cart', 'processing', 'processing']);
  });
  it('seeds idempotently from parallel requests, as the sample app\'s seed script does', async () => {
    // fauna/js-sample-app server/__tests__/seed.ts runs these upserts under Promise.all. Fauna's
    // snapshot reads plus optimistic concurrency make each one see the others' products (a
    // contention retry at worst): none may fail on the unique name.
    const names = ['Seed A', 'Seed B', 'Seed C', 'Seed D'];
    const upsert = (name: string, stock: number) => admin.query(fql`
      let p: Any = Product.byName(${name}).first()
      if (p != null) {
        p!.update({ stock: ${stock} })
      } else {
        Product.create({ name: ${name}, price: 100, stock: ${stock} })
      }
      ${name}`);
    const runs = await Promise.allSettled([1, 2, 3, 4, 5, 6, 7, 8].flatMap((stock) => names.map((n) => upsert(n, stock))));
    assert.deepEqual(runs.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), []);
    assert.deepEqual(await data(admin, fql`${names}.map(n => Product.byName(n).count())`), [1, 1, 1, 1]);
  });
});
