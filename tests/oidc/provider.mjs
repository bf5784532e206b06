// A real OpenID provider (npm oidc-provider) on 127.0.0.1 for erbij's school sign-in tests.
// Usage: node provider.mjs REDIRECT_URI
// Prints one JSON line {"issuer": "..."} when it listens. Two confidential clients:
// "erbij" (returns to REDIRECT_URI) and "other" (another application of the same school).
// Logins are automatic: the account is the authorization request's login_hint (an e-mail
// address), and consent is granted at once; nothing is typed.
import http from 'node:http';
import Provider from 'oidc-provider';

const redirectUri = process.argv[2] || 'http://127.0.0.1:9/login/oidc/callback';
let provider;

function account(id) {
  return {
    accountId: id,
    async claims() {
      return { sub: id, email: id, email_verified: true, name: `Test ${id.split('@')[0]}` };
    },
  };
}

const server = http.createServer(async (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    try {
      const details = await provider.interactionDetails(req, res);
      const { prompt, params, session } = details;
      let result;
      if (prompt.name === 'login') {
        result = { login: { accountId: String(params.login_hint || 'nobody@school.test') } };
      } else {
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
        const missing = prompt.details;
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        if (missing.missingResourceScopes) {
          for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
            grant.addResourceScope(indicator, scopes.join(' '));
          }
        }
        result = { consent: { grantId: await grant.save() } };
      }
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
    return;
  }
  provider.callback()(req, res);
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'erbij',
        client_secret: 'erbij-test-secret',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      {
        client_id: 'other',
        client_secret: 'other-test-secret',
        redirect_uris: ['http://127.0.0.1:9/other/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    findAccount: (_ctx, id) => account(id),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    // Like Google and Entra ID (with the optional email claim): email in the ID token itself.
    conformIdTokenClaims: false,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['erbij-oidc-test-only'] },
    ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
  });
  console.log(JSON.stringify({ issuer }));
});

// The test ends the process; never outlive a forgotten one.
setTimeout(() => process.exit(0), 120_000).unref();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
