import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { MAX_SEED } from '../../domain/job.js';
import { COMMAND_LOCALIZATIONS } from '../../discord/views/command-text.js';
import { IN_SERVERS } from '../scope.js';

export const AnimateCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'animate',
	description: 'Turn a still image into a short video (Stable Video Diffusion)',
	description_localizations: COMMAND_LOCALIZATIONS.animate.description_localizations,
	...IN_SERVERS,
	options: [
		{
			type: ApplicationCommandOptionType.Attachment,
			name: 'image',
			description: 'The picture to animate (PNG, JPEG or WebP; 1024×576 works best)',
			required: true,
		},
		{
			type: ApplicationCommandOptionType.Integer,
			name: 'motion',
			description: 'How much things move, 1–255 (default 127)',
			min_value: 1,
			max_value: 255,
		},
		{
			type: ApplicationCommandOptionType.Number,
			name: 'noise',
			description: 'Noise added to the image, 0–10; more noise = more change (default 0.02)',
			min_value: 0,
			max_value: 10,
		},
		{
			type: ApplicationCommandOptionType.Integer,
			name: 'seed',
			description: 'Same seed + same options = same video (random when left out)',
			min_value: 0,
			max_value: MAX_SEED,
		},
		{
			type: ApplicationCommandOptionType.Integer,
			name: 'steps',
			description: 'Denoising steps, 1–100; more is slower and finer (default 20)',
			min_value: 1,
			max_value: 100,
		},
		{
			type: ApplicationCommandOptionType.Integer,
			name: 'fps',
			description: 'Frames per second of the video (only models that take it)',
			min_value: 1,
			max_value: 30,
		},
		{
			type: ApplicationCommandOptionType.Attachment,
			name: 'mask',
			description: 'Black-and-white image: black areas move, white areas stay still',
		},
		{
			type: ApplicationCommandOptionType.Attachment,
			name: 'depth_maps',
			description: 'Zip of depth-map images, one per frame, to steer the motion',
		},
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
