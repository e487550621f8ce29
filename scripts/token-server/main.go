// token-front: the lab's token endpoint for registry.ml-buildpacks.test (scripts/public-registry.sh).
//
// The realm the registry names is this program; behind it runs the distribution project's reference
// token server (contrib/token-server, built unchanged from this module's `tool` line). The reference
// server authenticates users against its htpasswd file and grants a user every action on
// repositories under "<username>/", refresh tokens included. It cannot express what GHCR and Docker
// Hub do for public repositories: it answers 401 to any request without Basic credentials (so no
// anonymous pull), and it drops a user's pull of another namespace (so alice, logged in to push her
// app, could not pull the published builder from the same host). This front adds exactly that and
// nothing else:
//
//   - GET without an Authorization header (anonymous): a token granting "pull" on requested
//     repositories under a public prefix (-public); every other requested action is left out, as
//     an anonymous token from GHCR leaves it out (the registry then answers 401 to a push).
//   - GET with credentials: forwarded without offline_token, so no refresh token is issued (GHCR
//     issues none either, and `docker login` then stores the credentials themselves);
//   - anything else (GET with credentials, POST password and refresh_token grants): forwarded to
//     the reference server as is. Its answer is returned unchanged unless the request also asked
//     to pull a public repository the reference did not grant; then the token is re-issued with
//     the reference's claims (subject, audience, access) plus those pulls, signed with the same key.
//
// Tokens are JWTs in the form docker-registry's `auth: token` verifies: ES256, the signing key's
// JWK in the header, the key's certificate in the registry's rootcertbundle.
package main

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/docker/distribution/registry/auth/token"
	"github.com/docker/libtrust"
)

type front struct {
	backend    *url.URL
	client     *http.Client
	key        libtrust.PrivateKey
	jwk        json.RawMessage
	issuer     string
	public     []string
	expiration time.Duration
}

func main() {
	var (
		addr, backend, backendCA, keyFile, issuer, public, cert, certKey string
		expiration                                                       time.Duration
	)
	flag.StringVar(&addr, "addr", "", "address to listen on (TLS)")
	flag.StringVar(&backend, "backend", "", "URL of the reference token server's /token/ endpoint")
	flag.StringVar(&backendCA, "backend-ca", "", "CA certificate (PEM) that signed the backend's certificate")
	flag.StringVar(&keyFile, "key", "", "signing key (PEM), the same file the reference server signs with")
	flag.StringVar(&issuer, "issuer", "", "issuer claim, the same as the reference server's -issuer")
	flag.StringVar(&public, "public", "", "comma-separated repository name prefixes anyone may pull (e.g. ml-buildpacks/)")
	flag.StringVar(&cert, "tlscert", "", "TLS certificate file")
	flag.StringVar(&certKey, "tlskey", "", "TLS key file")
	// The reference server's tokens live 15 minutes (hard-coded there); ours match.
	flag.DurationVar(&expiration, "expiration", 15*time.Minute, "token lifetime")
	flag.Parse()
	if addr == "" || backend == "" || keyFile == "" || issuer == "" || cert == "" || certKey == "" {
		log.Fatal("token-front: -addr, -backend, -key, -issuer, -tlscert and -tlskey are required")
	}

	f, err := newFront(backend, backendCA, keyFile, issuer, public, expiration)
	if err != nil {
		log.Fatalf("token-front: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/token/", f)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	log.Printf("token-front: listening on https://%s/token/, backend %s, public prefixes %q", addr, backend, f.public)
	log.Fatal(srv.ListenAndServeTLS(cert, certKey))
}

func newFront(backend, backendCA, keyFile, issuer, public string, expiration time.Duration) (*front, error) {
	u, err := url.Parse(backend)
	if err != nil {
		return nil, fmt.Errorf("-backend: %w", err)
	}
	key, err := libtrust.LoadKeyFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("-key %s: %w", keyFile, err)
	}
	if key.KeyType() != "EC" {
		return nil, fmt.Errorf("-key %s: an EC P-256 key is expected (ES256), got %s", keyFile, key.KeyType())
	}
	jwk, err := key.PublicKey().MarshalJSON()
	if err != nil {
		return nil, err
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if backendCA != "" {
		pem, err := os.ReadFile(backendCA)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-backend-ca %s holds no PEM certificate", backendCA)
		}
		tlsConfig.RootCAs = pool
	}
	var prefixes []string
	for _, p := range strings.Split(public, ",") {
		if p = strings.TrimSpace(p); p != "" {
			prefixes = append(prefixes, p)
		}
	}
	return &front{
		backend:    u,
		client:     &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConfig}},
		key:        key,
		jwk:        jwk,
		issuer:     issuer,
		public:     prefixes,
		expiration: expiration,
	}, nil
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var scopes []string
	var service string
	var body []byte
	switch r.Method {
	case http.MethodGet:
		scopes = r.URL.Query()["scope"]
		service = r.URL.Query().Get("service")
	case http.MethodPost:
		var err error
		if body, err = io.ReadAll(io.LimitReader(r.Body, 1<<20)); err != nil {
			http.Error(w, "cannot read the request body", http.StatusBadRequest)
			return
		}
		form, _ := url.ParseQuery(string(body))
		scopes = strings.Fields(form.Get("scope"))
		service = form.Get("service")
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	pulls := f.publicPulls(scopes)

	if r.Method == http.MethodGet && r.Header.Get("Authorization") == "" {
		tok, err := f.mint("", service, pulls)
		if err != nil {
			log.Printf("token-front: signing an anonymous token: %v", err)
			http.Error(w, "cannot sign a token", http.StatusInternalServerError)
			return
		}
		log.Printf("token-front: anonymous %s scopes=%q granted=%s", r.Method, scopes, describe(pulls))
		writeJSON(w, map[string]any{
			"token": tok, "access_token": tok,
			"expires_in": int(f.expiration.Seconds()), "issued_at": time.Now().UTC().Format(time.RFC3339),
		})
		return
	}

	status, header, respBody, err := f.forward(r, body)
	if err != nil {
		log.Printf("token-front: reference token server: %v", err)
		http.Error(w, "token server unavailable", http.StatusBadGateway)
		return
	}
	if status == http.StatusOK && len(pulls) > 0 {
		if extended, added, err := f.addPulls(respBody, pulls); err != nil {
			log.Printf("token-front: cannot extend the reference server's token: %v", err)
		} else if added != "" {
			log.Printf("token-front: %s %s scopes=%q: reference token re-issued with public pulls %s", r.Method, r.URL.Path, scopes, added)
			writeJSON(w, extended)
			return
		}
	}
	log.Printf("token-front: %s scopes=%q: reference server answered %d", r.Method, scopes, status)
	for _, h := range []string{"Content-Type", "Www-Authenticate"} {
		if v := header.Get(h); v != "" {
			w.Header().Set(h, v)
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(respBody)
}

// publicPulls: "pull" on each requested repository under a public prefix.
func (f *front) publicPulls(scopes []string) []*token.ResourceActions {
	var out []*token.ResourceActions
	seen := map[string]bool{}
	for _, s := range scopes {
		parts := strings.SplitN(s, ":", 3)
		if len(parts) != 3 || parts[0] != "repository" || seen[parts[1]] || !f.isPublic(parts[1]) {
			continue
		}
		for _, a := range strings.Split(parts[2], ",") {
			if a == "pull" {
				seen[parts[1]] = true
				out = append(out, &token.ResourceActions{Type: "repository", Name: parts[1], Actions: []string{"pull"}})
				break
			}
		}
	}
	return out
}

func (f *front) isPublic(name string) bool {
	for _, p := range f.public {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func (f *front) forward(r *http.Request, body []byte) (int, http.Header, []byte, error) {
	u := *f.backend
	// Like GHCR, no refresh tokens for `docker login`: it then stores the user's credentials, not an
	// identity token (the CNB lifecycle cannot use identity tokens from CNB_REGISTRY_AUTH).
	query := r.URL.Query()
	query.Del("offline_token")
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	for _, h := range []string{"Authorization", "Content-Type", "User-Agent"} {
		if v := r.Header.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header, b, err
}

// addPulls: the reference server's JSON answer with its token re-issued to also grant pulls it left
// out; added is "" when it already granted them all (the answer is then returned unchanged).
func (f *front) addPulls(respBody []byte, pulls []*token.ResourceActions) (map[string]any, string, error) {
	var resp map[string]any
	if err := json.Unmarshal(respBody, &resp); err != nil {
		return nil, "", err
	}
	raw, _ := resp["access_token"].(string)
	if raw == "" {
		raw, _ = resp["token"].(string)
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, "", errors.New("the answer holds no JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, "", err
	}
	var claims token.ClaimSet
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, "", err
	}
	access := claims.Access
	var added []*token.ResourceActions
	for _, p := range pulls {
		if !grants(access, p.Name, "pull") {
			access = append(access, p)
			added = append(added, p)
		}
	}
	if len(added) == 0 {
		return nil, "", nil
	}
	tok, err := f.mint(claims.Subject, claims.Audience, access)
	if err != nil {
		return nil, "", err
	}
	resp["access_token"] = tok
	if _, ok := resp["token"]; ok {
		resp["token"] = tok
	}
	if _, ok := resp["scope"]; ok {
		resp["scope"] = scopeList(access)
	}
	return resp, describe(added), nil
}

func grants(access []*token.ResourceActions, name, action string) bool {
	for _, a := range access {
		if a.Type != "repository" || a.Name != name {
			continue
		}
		for _, x := range a.Actions {
			if x == action || x == "*" {
				return true
			}
		}
	}
	return false
}

func (f *front) mint(subject, audience string, access []*token.ResourceActions) (string, error) {
	if access == nil {
		access = []*token.ResourceActions{}
	}
	id := make([]byte, 15)
	if _, err := rand.Read(id); err != nil {
		return "", err
	}
	now := time.Now()
	header, err := json.Marshal(token.Header{Type: "JWT", SigningAlg: "ES256", RawJWK: &f.jwk})
	if err != nil {
		return "", err
	}
	claims, err := json.Marshal(token.ClaimSet{
		Issuer: f.issuer, Subject: subject, Audience: audience,
		Expiration: now.Add(f.expiration).Unix(), NotBefore: now.Unix(), IssuedAt: now.Unix(),
		JWTID: base64.RawURLEncoding.EncodeToString(id), Access: access,
	})
	if err != nil {
		return "", err
	}
	signed := b64(header) + "." + b64(claims)
	sig, _, err := f.key.Sign(strings.NewReader(signed), crypto.SHA256)
	if err != nil {
		return "", err
	}
	return signed + "." + b64(sig), nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func scopeList(access []*token.ResourceActions) string {
	var s []string
	for _, a := range access {
		s = append(s, a.Type+":"+a.Name+":"+strings.Join(a.Actions, ","))
	}
	return strings.Join(s, " ")
}

func describe(access []*token.ResourceActions) string {
	if len(access) == 0 {
		return "[]"
	}
	return "[" + scopeList(access) + "]"
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
