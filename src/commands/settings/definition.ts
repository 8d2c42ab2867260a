import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ChannelType,
	PermissionFlagsBits,
	type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { COMMAND_LOCALIZATIONS } from '../../discord/views/command-text.js';
import { DISCORD_LIMITS, truncate } from '../../discord/views/truncate.js';
import { IN_SERVERS } from '../scope.js';
import { CATALOGUE } from '../../domain/catalogue/index.js';

const sub = ApplicationCommandOptionType.Subcommand;

/** Every catalogued model (at most 25: Discord's limit for fixed choices). */
const MODEL_CHOICES = [...CATALOGUE.values()].map((model) => ({
	name: truncate(`${model.label} (${model.id})`, DISCORD_LIMITS.choice),
	value: model.id,
}));

export const SettingsCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'animate-settings',
	description: "View or change animate-bot's settings for this server",
	description_localizations: COMMAND_LOCALIZATIONS.settings.description_localizations,
	...IN_SERVERS,
	// Manage Server by default; server admins can hand it to other roles in Integrations.
	default_member_permissions: String(PermissionFlagsBits.ManageGuild),
	options: [
		{ type: sub, name: 'view', description: 'Show the settings in force here' },
		{
			type: sub,
			name: 'channel',
			description: 'Allow or stop videos in a channel (allowing one limits the bot to the allowed ones)',
			options: [
				{
					type: ApplicationCommandOptionType.Channel,
					name: 'channel',
					description: 'The channel',
					required: true,
					channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.PublicThread, ChannelType.PrivateThread],
				},
				{ type: ApplicationCommandOptionType.Boolean, name: 'allowed', description: 'Whether videos may be made there', required: true },
			],
		},
		{ type: sub, name: 'all-channels', description: 'Allow videos in every channel again' },
		{
			type: sub,
			name: 'reactions',
			description: 'Start a video when a member reacts to an image post with an emoji',
			options: [
				{ type: ApplicationCommandOptionType.Boolean, name: 'enabled', description: 'Turn the reaction trigger on or off', required: true },
				{ type: ApplicationCommandOptionType.String, name: 'emoji', description: 'The emoji that starts a video (default 🎬)', max_length: 64 },
			],
		},
		{
			type: sub,
			name: 'defaults',
			description: 'Default motion, noise and steps for /animate here (models that take them)',
			options: [
				{ type: ApplicationCommandOptionType.Integer, name: 'motion', description: 'Default motion, 1–255', min_value: 1, max_value: 255 },
				{ type: ApplicationCommandOptionType.Number, name: 'noise', description: 'Default noise, 0–10', min_value: 0, max_value: 10 },
				{ type: ApplicationCommandOptionType.Integer, name: 'steps', description: 'Default steps, 1–100', min_value: 1, max_value: 100 },
			],
		},
		{
			type: sub,
			name: 'models',
			description: 'Which video models members may pick with /animate, and the default',
			options: [
				{
					type: ApplicationCommandOptionType.String,
					name: 'default',
					description: 'The model /animate uses when none is picked',
					choices: MODEL_CHOICES,
				},
				{ type: ApplicationCommandOptionType.String, name: 'allow', description: 'Let members pick this model too', choices: MODEL_CHOICES },
				{ type: ApplicationCommandOptionType.String, name: 'forbid', description: 'Stop members picking this model', choices: MODEL_CHOICES },
			],
		},
		{
			type: sub,
			name: 'limits',
			description: 'Per-member and per-server limits, and a monthly spend cap',
			options: [
				{ type: ApplicationCommandOptionType.Integer, name: 'per_user', description: 'Videos in the works per member', min_value: 1, max_value: 20 },
				{
					type: ApplicationCommandOptionType.Integer,
					name: 'cooldown',
					description: 'Seconds between two videos of a member',
					min_value: 0,
					max_value: 3600,
				},
				{
					type: ApplicationCommandOptionType.Integer,
					name: 'per_day',
					description: 'Videos per day in this server',
					min_value: 1,
					max_value: 10_000,
				},
				{
					type: ApplicationCommandOptionType.Number,
					name: 'monthly_cap',
					description: 'USD per month this server may spend (0 = no cap)',
					min_value: 0,
					max_value: 100_000,
				},
			],
		},
		{ type: sub, name: 'reset', description: 'Put every setting back to the defaults' },
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
