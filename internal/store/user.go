package store

import (
	"context"
	"strconv"
	"strings"

	"gongkai"
	"gongkai/internal/password"
)

var _ gongkai.UserService = (*DB)(nil)

// FindUserByID returns a user with their grants. Staff see themselves;
// admins see users holding roles in their subtrees.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*gongkai.User, error) {
	users, err := db.FindUsers(ctx, gongkai.UserFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "用户不存在。")
	}
	return users[0], nil
}

// FindUserByUsername returns a user by username.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*gongkai.User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	users, err := db.FindUsers(ctx, gongkai.UserFilter{Username: &username})
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "用户“%s”不存在。", username)
	}
	return users[0], nil
}

// FindUsers returns the users the actor may see, ordered by username.
func (db *DB) FindUsers(ctx context.Context, f gongkai.UserFilter) ([]*gongkai.User, error) {
	var out []*gongkai.User
	err := db.inReadTx(ctx, func(tx *Tx) error {
		users, err := tx.findUsers(ctx, f)
		if err != nil {
			return err
		}
		for _, u := range users {
			if ok, err := tx.canSeeUser(ctx, u); err != nil {
				return err
			} else if ok {
				out = append(out, u)
			}
		}
		return nil
	})
	return out, err
}

// canSeeUser: yourself, or a user with a role in an org you administer.
func (tx *Tx) canSeeUser(ctx context.Context, u *gongkai.User) (bool, error) {
	a := tx.actor
	if a == nil {
		return false, nil
	}
	if a.System || a.UserID == u.ID {
		return true, nil
	}
	for _, g := range u.Grants {
		org, err := tx.findOrgByID(ctx, g.OrgID)
		if err != nil {
			return false, err
		}
		if a.CanAdminister(org) {
			return true, nil
		}
	}
	return false, nil
}

func (tx *Tx) findUsers(ctx context.Context, f gongkai.UserFilter) ([]*gongkai.User, error) {
	q := `SELECT u.id, u.username, u.display_name, u.disabled, u.created_at, u.updated_at FROM users u WHERE 1 = 1`
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.ID != nil {
		q += ` AND u.id = ` + arg(*f.ID)
	}
	if f.Username != nil {
		q += ` AND u.username = ` + arg(*f.Username)
	}
	if f.Within != nil {
		q += ` AND u.id IN (SELECT r.user_id FROM user_roles r JOIN orgs o ON o.id = r.org_id
			WHERE o.path LIKE (SELECT w.path FROM orgs w WHERE w.id = ` + arg(*f.Within) + `) || '%')`
	}
	q += ` ORDER BY u.username`
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []*gongkai.User
	byID := map[int64]*gongkai.User{}
	for rows.Next() {
		var u gongkai.User
		if err := rows.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Disabled, &u.CreatedAt, &u.UpdatedAt); err != nil {
			return nil, err
		}
		u.Grants = []gongkai.Grant{}
		users = append(users, &u)
		byID[u.ID] = &u
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(users) == 0 {
		return nil, nil
	}
	grants, err := tx.grantsOf(ctx, byID)
	if err != nil {
		return nil, err
	}
	for id, gs := range grants {
		byID[id].Grants = gs
	}
	return users, nil
}

// grantsOf loads the grants of the given users (all users when the map is
// large: one query either way).
func (tx *Tx) grantsOf(ctx context.Context, users map[int64]*gongkai.User) (map[int64][]gongkai.Grant, error) {
	q := `SELECT r.user_id, r.org_id, o.code, o.name, r.role FROM user_roles r JOIN orgs o ON o.id = r.org_id`
	var args []any
	if len(users) == 1 {
		for id := range users {
			q += ` WHERE r.user_id = $1`
			args = append(args, id)
		}
	}
	q += ` ORDER BY o.path, r.role`
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]gongkai.Grant{}
	for rows.Next() {
		var uid int64
		var g gongkai.Grant
		if err := rows.Scan(&uid, &g.OrgID, &g.OrgCode, &g.OrgName, &g.Role); err != nil {
			return nil, err
		}
		if users[uid] != nil {
			out[uid] = append(out[uid], g)
		}
	}
	return out, rows.Err()
}

// resolveGrants fills OrgID from OrgCode (or the reverse) and checks that the
// actor administers every org it grants roles in.
func (tx *Tx) resolveGrants(ctx context.Context, grants []gongkai.Grant) ([]gongkai.Grant, error) {
	out := make([]gongkai.Grant, 0, len(grants))
	seen := map[string]bool{}
	for _, g := range grants {
		var org *gongkai.Org
		var err error
		if g.OrgCode != "" {
			org, err = tx.findOrgByCode(ctx, g.OrgCode)
		} else {
			org, err = tx.findOrgByID(ctx, g.OrgID)
		}
		if err != nil {
			return nil, err
		}
		if !g.Role.Valid() {
			return nil, gongkai.FieldError("roles", "未知角色“"+string(g.Role)+"”，可选：editor、reviewer1、reviewer2、reviewer3、officer、supervisor、admin。")
		}
		if !tx.actor.CanAdminister(org) {
			return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "您无权在“%s”中分配角色。", org.Name)
		}
		key := org.Code + "/" + string(g.Role)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, gongkai.Grant{OrgID: org.ID, OrgCode: org.Code, OrgName: org.Name, Role: g.Role})
	}
	return out, nil
}

func (tx *Tx) writeGrants(ctx context.Context, userID int64, grants []gongkai.Grant) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, g := range grants {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, org_id, role) VALUES ($1, $2, $3)`, userID, g.OrgID, string(g.Role)); err != nil {
			return err
		}
	}
	return nil
}

// PasswordParams are the argon2id costs for new hashes; tests lower them.
var PasswordParams = password.Default

// CreateUser creates a staff account with its roles.
func (db *DB) CreateUser(ctx context.Context, u *gongkai.User, pw string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := gongkai.ValidatePassword(pw); err != nil {
		return err
	}
	hash, err := password.Hash(pw, PasswordParams) // outside the transaction: it takes ~30 ms
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		grants, err := tx.resolveGrants(ctx, u.Grants)
		if err != nil {
			return err
		}
		u.Grants = grants
		u.CreatedAt, u.UpdatedAt = tx.now, tx.now
		err = tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, password_hash, disabled, created_at, updated_at)
			VALUES ($1, $2, $3, FALSE, $4, $4) RETURNING id`, u.Username, u.DisplayName, hash, ts(tx.now)).Scan(&u.ID)
		if _, dup := isUniqueViolation(err); dup {
			return gongkai.FieldError("username", "用户名“"+u.Username+"”已被使用。")
		}
		if err != nil {
			return err
		}
		if err := tx.writeGrants(ctx, u.ID, grants); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "user.create", ObjectType: "user", ObjectID: u.Username, Org: tx.firstOrg(ctx, grants), After: u})
	})
}

// firstOrg returns the org of the first grant, so that a user's audit
// records appear in that org's subtree.
func (tx *Tx) firstOrg(ctx context.Context, grants []gongkai.Grant) *gongkai.Org {
	if len(grants) == 0 {
		return nil
	}
	org, err := tx.findOrgByID(ctx, grants[0].OrgID)
	if err != nil {
		return nil
	}
	return org
}

// userForChange loads a user the actor may administer (or themself when
// self is allowed).
func (tx *Tx) userForChange(ctx context.Context, id int64, selfAllowed bool) (*gongkai.User, error) {
	users, err := tx.findUsers(ctx, gongkai.UserFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "用户不存在。")
	}
	u := users[0]
	a := tx.actor
	if a != nil && (a.System || (selfAllowed && a.UserID == u.ID)) {
		return u, nil
	}
	for _, g := range u.Grants {
		org, err := tx.findOrgByID(ctx, g.OrgID)
		if err != nil {
			return nil, err
		}
		if a.CanAdminister(org) {
			return u, nil
		}
	}
	return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "您无权管理用户“%s”。", u.Username)
}

// SetPassword sets a new password and ends the user's other sessions.
func (db *DB) SetPassword(ctx context.Context, userID int64, pw string) error {
	if err := gongkai.ValidatePassword(pw); err != nil {
		return err
	}
	hash, err := password.Hash(pw, PasswordParams)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		u, err := tx.userForChange(ctx, userID, true)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, ts(tx.now), u.ID); err != nil {
			return err
		}
		keep := int64(0)
		if tx.actor != nil && tx.actor.UserID == u.ID {
			keep = tx.actor.SessionID
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, u.ID, keep); err != nil {
			return err
		}
		// The hash itself is never written to the audit trail.
		return tx.audit(ctx, auditEntry{Action: "user.password", ObjectType: "user", ObjectID: u.Username, Org: tx.firstOrg(ctx, u.Grants)})
	})
}

// SetGrants replaces a user's roles.
func (db *DB) SetGrants(ctx context.Context, userID int64, grants []gongkai.Grant) (*gongkai.User, error) {
	var out *gongkai.User
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := tx.userForChange(ctx, userID, false)
		if err != nil {
			return err
		}
		if len(grants) == 0 {
			return gongkai.FieldError("roles", "请至少为用户分配一个机构中的一个角色；如需停用账号，请使用“停用”。")
		}
		resolved, err := tx.resolveGrants(ctx, grants)
		if err != nil {
			return err
		}
		// An admin may only add or remove grants in orgs they administer;
		// grants elsewhere are kept as they were.
		for _, g := range before.Grants {
			org, err := tx.findOrgByID(ctx, g.OrgID)
			if err != nil {
				return err
			}
			if !tx.actor.CanAdminister(org) {
				resolved = append(resolved, g)
			}
		}
		if err := tx.writeGrants(ctx, userID, resolved); err != nil {
			return err
		}
		after := *before
		after.Grants = resolved
		after.UpdatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE users SET updated_at = $1 WHERE id = $2`, ts(tx.now), userID); err != nil {
			return err
		}
		out = &after
		return tx.audit(ctx, auditEntry{Action: "user.roles", ObjectType: "user", ObjectID: before.Username, Org: tx.firstOrg(ctx, resolved), Before: before.Grants, After: resolved})
	})
	return out, err
}

// SetDisabled disables or re-enables an account; disabling ends its sessions.
func (db *DB) SetDisabled(ctx context.Context, userID int64, disabled bool) (*gongkai.User, error) {
	var out *gongkai.User
	err := db.inTx(ctx, func(tx *Tx) error {
		u, err := tx.userForChange(ctx, userID, false)
		if err != nil {
			return err
		}
		if tx.actor != nil && tx.actor.UserID == u.ID && disabled {
			return gongkai.Errorf(gongkai.ECONFLICT, "不能停用自己的账号。")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3`, disabled, ts(tx.now), u.ID); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
		}
		after := *u
		after.Disabled = disabled
		out = &after
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return tx.audit(ctx, auditEntry{Action: action, ObjectType: "user", ObjectID: u.Username, Org: tx.firstOrg(ctx, u.Grants), Before: map[string]bool{"disabled": u.Disabled}, After: map[string]bool{"disabled": disabled}})
	})
	return out, err
}
