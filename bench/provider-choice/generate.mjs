// A synthetic SCIM projection (the shape compile() hands to declareTargets) at a chosen scale.
// Seeded so that every run, and both providers, see byte-identical inputs; no faker needed.

const GIVEN = ["Ada", "Björn", "Chidi", "Dana", "Emeka", "Fatima", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wei", "Xenia", "Yusuf", "Zoë"];
const FAMILY = ["Müller", "Okafor", "Tanaka", "Nguyen", "García", "Kowalski", "Haddad", "Johansson", "Silva", "Patel", "O'Brien", "Schmidt", "Rossi", "Kim", "Dubois", "Novak", "Mensah", "Larsen", "Cohen", "Ivanova"];
const TITLES = ["Software Engineer", "Senior Software Engineer", "Account Executive", "Financial Analyst", "Support Specialist", "Product Manager", "Recruiter", "Data Scientist", "Site Reliability Engineer", "Office Manager"];
const DEPARTMENTS = ["engineering", "sales", "finance", "support", "product", "people", "data", "platform", "legal", "marketing"];

/** mulberry32: tiny, fast, and good enough to spread names and memberships. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random, list) => list[Math.floor(random() * list.length)];

/**
 * `users` people and `groups` groups; each person joins `perUser` distinct groups on average
 * (between perUser-1 and perUser+1). Keys follow the sample organisation: worker IDs W…,
 * catalog keys in kebab case.
 */
export function generateProjection({ users = 1000, groups = 20, perUser = 3, seed = 2 } = {}) {
  const random = prng(seed);
  const groupList = Array.from({ length: groups }, (_, i) => {
    const dept = DEPARTMENTS[i % DEPARTMENTS.length];
    const n = Math.floor(i / DEPARTMENTS.length) + 1;
    return { key: `${dept}-${n}`, displayName: `${dept[0].toUpperCase()}${dept.slice(1)} ${n}`, members: [] };
  });
  const userList = [];
  for (let i = 0; i < users; i++) {
    const key = `W${String(10001 + i)}`;
    const givenName = pick(random, GIVEN);
    const familyName = pick(random, FAMILY);
    const login = `${ascii(givenName)}.${ascii(familyName)}.${i + 1}@example.com`;
    userList.push({
      key,
      userName: login,
      externalId: key,
      givenName,
      familyName,
      displayName: `${givenName} ${familyName}`,
      email: login,
      active: random() > 0.03,
      title: pick(random, TITLES),
    });
    for (const g of chooseGroups(random, groups, perUser)) {
      // `because` is evidence for the plan; the SCIM target ignores it, so it stays empty here.
      groupList[g].members.push({ user: key, because: [] });
    }
  }
  return { users: userList, groups: groupList };
}

function chooseGroups(random, groups, perUser) {
  const count = Math.min(groups, Math.max(1, perUser - 1 + Math.floor(random() * 3)));
  const chosen = new Set();
  while (chosen.size < count) chosen.add(Math.floor(random() * groups));
  return [...chosen].sort((a, b) => a - b);
}

function ascii(name) {
  return name.normalize("NFKD").replace(/[^A-Za-z]/g, "").toLowerCase();
}
