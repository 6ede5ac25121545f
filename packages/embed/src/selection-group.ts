import type { Selections } from "@portico/protocol";
import { sameSelections } from "./selections-diff.js";

/** An embed in a selection group: it shows the group's selections when told. */
export interface GroupMember {
  /** Sets the member's frame to `selections` (resolves once the frame has them). */
  show(selections: Selections): Promise<void>;
}

/** A member's handle on its group. */
export interface GroupMembership {
  /** The member's frame changed its selections (the visitor clicked, or the host set them). */
  report(selections: Selections): void;
  leave(): void;
}

interface Group {
  selections: Selections;
  members: Set<GroupMember>;
  /** Members being set to the group's selections: what they report meanwhile is that, step by step. */
  syncing: Set<GroupMember>;
}

/**
 * Embeds of one app on a page that share selections (`selection-group`): a change in one frame is shown by
 * every other, and a member that joins later starts from the group's selections. Groups are keyed by the
 * caller (server, proxy, app and group name), so only views of the same app ever share.
 */
export class SelectionGroups {
  readonly #groups = new Map<string, Group>();

  join(key: string, member: GroupMember): GroupMembership {
    let group = this.#groups.get(key);
    if (!group) {
      group = { selections: {}, members: new Set(), syncing: new Set() };
      this.#groups.set(key, group);
    }
    const joined = group;
    joined.members.add(member);
    if (Object.keys(joined.selections).length > 0) this.#sync(joined, member);
    return {
      report: (selections) => {
        if (joined.syncing.has(member) || sameSelections(joined.selections, selections)) return;
        joined.selections = selections;
        for (const other of joined.members) if (other !== member) this.#sync(joined, other);
      },
      leave: () => {
        joined.members.delete(member);
        joined.syncing.delete(member);
        if (joined.members.size === 0) this.#groups.delete(key);
      },
    };
  }

  #sync(group: Group, member: GroupMember): void {
    group.syncing.add(member);
    const wanted = group.selections;
    void member
      .show(wanted)
      .catch(() => undefined)
      .finally(() => {
        group.syncing.delete(member);
        // The group moved on while this member was catching up: once more, to where it is now.
        if (group.members.has(member) && group.selections !== wanted) this.#sync(group, member);
      });
  }
}

/** The page's selection groups (every element of the page shares them). */
export const selectionGroups = new SelectionGroups();
